-- Product images (issue "Sell for real", item 2): staff upload pictures, which are resized to a
-- few widths and kept here, in the shop's own file, so a backup or an export of the shop carries
-- them. The upload itself is not kept, only its SHA-256 and size; what is served are WebP
-- renditions with their metadata stripped.

CREATE TABLE product_images (
    id          TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
    product_id  TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 1),
    alt         TEXT NOT NULL DEFAULT '' CHECK (length(alt) <= 250),
    format      TEXT NOT NULL CHECK (format IN ('jpeg', 'png', 'webp')),
    width       INTEGER NOT NULL CHECK (width >= 1),
    height      INTEGER NOT NULL CHECK (height >= 1),
    bytes       INTEGER NOT NULL CHECK (bytes >= 1),
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
    created_at  TEXT NOT NULL
) STRICT;

CREATE INDEX product_images_product ON product_images (product_id, position);

CREATE TABLE product_image_renditions (
    image_id    TEXT NOT NULL REFERENCES product_images (id) ON DELETE CASCADE,
    width       INTEGER NOT NULL CHECK (width >= 1),
    height      INTEGER NOT NULL CHECK (height >= 1),
    media_type  TEXT NOT NULL,
    etag        TEXT NOT NULL,
    data        BLOB NOT NULL,
    PRIMARY KEY (image_id, width)
) STRICT;

-- What listings show, in display order, so a page of products reads no extra table:
-- [{"id", "alt", "width", "height", "format", "bytes", "position", "widths": [160, 480, …], "createdAt"}].
ALTER TABLE products ADD COLUMN media TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(media) AND json_type(media) = 'array');
