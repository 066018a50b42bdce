// libvips, for decoding and resizing product images (Debian: libvips-dev to build, libvips42 to
// run). libvips's calls take NULL-terminated variadic options, which Swift cannot call, so each
// call Emporium makes is wrapped here in a fixed-argument function.
#include <vips/vips.h>

/// Starts libvips once, quietly, locked down for pictures from the internet: only the JPEG, PNG and WebP
/// loaders may run (no SVG, PDF, TIFF, HEIF or ImageMagick behind a forged signature), no
/// operation marked untrusted, no operation cache (memory stays bounded), one worker thread per
/// operation (the caller decides how many run at once).
static inline void emporium_vips_quiet(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {
    (void)domain; (void)level; (void)message; (void)data;
}

/// libvips's warnings ("error in tile 0 x 128" for a truncated upload) would go to stderr, outside
/// the JSON log: the failure itself reaches the caller through `vips_error_buffer` instead.
static inline int emporium_vips_start(void) {
    if (VIPS_INIT("emporium")) return -1;
    g_log_set_handler("VIPS", (GLogLevelFlags)(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO), emporium_vips_quiet, NULL);
    vips_block_untrusted_set(TRUE);
    vips_operation_block_set("VipsForeignLoad", TRUE);
    vips_operation_block_set("VipsForeignLoadJpeg", FALSE);
    vips_operation_block_set("VipsForeignLoadPng", FALSE);
    vips_operation_block_set("VipsForeignLoadWebp", FALSE);
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_concurrency_set(1);
    return 0;
}

/// The picture's upright size from its header (pixels are decoded lazily and not read here), with
/// what decoding it will cost: bands, bytes per sample, and whether the file is interlaced
/// (progressive JPEG, Adam7 PNG), which libvips can only decode whole, never a strip at a time.
static inline int emporium_vips_inspect(const void *data, size_t length, int *width, int *height,
                                        int *bands, int *bytes_per_sample, int *interlaced) {
    VipsImage *image = vips_image_new_from_buffer(data, length, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (image == NULL) return -1;
    int swap = vips_image_get_orientation_swap(image);
    *width = swap ? vips_image_get_height(image) : vips_image_get_width(image);
    *height = swap ? vips_image_get_width(image) : vips_image_get_height(image);
    *bands = vips_image_get_bands(image);
    *bytes_per_sample = (int)vips_format_sizeof(vips_image_get_format(image));
    int flag = 0;
    *interlaced = vips_image_get_typeof(image, "interlaced") && !vips_image_get_int(image, "interlaced", &flag) && flag ? 1 : 0;
    g_object_unref(image);
    return 0;
}

/// Drops what a camera or an editor wrote about the picture (EXIF with its GPS position and
/// camera serial, XMP, IPTC). libvips 8.14's `strip` leaves WebP's EXIF in place, and it rebuilds
/// EXIF from the parsed `exif-*` fields, so those go one by one.
static inline void emporium_vips_forget_metadata(VipsImage *image) {
    gchar **fields = vips_image_get_fields(image);
    for (int i = 0; fields[i] != NULL; i++) {
        const char *name = fields[i];
        if (g_str_has_prefix(name, "exif-") || g_str_has_prefix(name, "xmp-") || g_str_has_prefix(name, "iptc-")
            || g_str_has_prefix(name, "ipct-") || g_str_has_prefix(name, "png-comment") || strcmp(name, "orientation") == 0) {
            vips_image_remove(image, name);
        }
    }
    g_strfreev(fields);
}

/// The picture decoded once, at most `width` wide (never enlarged), upright, in sRGB, held in
/// memory without its metadata, so every smaller copy is made from it rather than by decoding the
/// upload again. The loader fails on the first decoding error instead of serving a half-grey
/// picture. NULL on failure; the caller releases it with `emporium_vips_release`.
static inline VipsImage *emporium_vips_decode(const void *data, size_t length, int width) {
    VipsImage *thumbnail = NULL;
    if (vips_thumbnail_buffer((void *)data, length, &thumbnail, width, "height", VIPS_MAX_COORD, "size", VIPS_SIZE_DOWN,
                              "option_string", "fail_on=error", NULL)) {
        return NULL;
    }
    VipsImage *memory = vips_image_copy_memory(thumbnail);
    g_object_unref(thumbnail);
    if (memory == NULL) return NULL;
    emporium_vips_forget_metadata(memory);
    return memory;
}

static inline void emporium_vips_release(VipsImage *image) {
    g_object_unref(image);
}

/// A WebP copy of a decoded picture at most `width` wide (never enlarged), metadata stripped. The
/// caller frees `*output` with `emporium_vips_free`.
static inline int emporium_vips_encode(VipsImage *image, int width, int quality,
                                       void **output, size_t *output_length, int *output_width, int *output_height) {
    VipsImage *resized = NULL;
    if (vips_thumbnail_image(image, &resized, width, "height", VIPS_MAX_COORD, "size", VIPS_SIZE_DOWN, "no_rotate", TRUE, NULL)) {
        return -1;
    }
    VipsImage *clean = NULL;
    if (vips_copy(resized, &clean, NULL)) {
        g_object_unref(resized);
        return -1;
    }
    g_object_unref(resized);
    emporium_vips_forget_metadata(clean);
    int failed = vips_webpsave_buffer(clean, output, output_length, "Q", quality, "strip", TRUE, NULL);
    *output_width = vips_image_get_width(clean);
    *output_height = vips_image_get_height(clean);
    g_object_unref(clean);
    return failed ? -1 : 0;
}

static inline void emporium_vips_free(void *pointer) {
    g_free(pointer);
}

/// libvips's last error text, then forgets it (libvips keeps one buffer for the process).
static inline void emporium_vips_take_error(char *into, size_t capacity) {
    if (capacity == 0) return;
    const char *text = vips_error_buffer();
    size_t length = text ? strlen(text) : 0;
    if (length >= capacity) length = capacity - 1;
    if (length > 0) memcpy(into, text, length);
    into[length] = '\0';
    vips_error_clear();
}
