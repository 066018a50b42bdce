-- Load-test catalog for one shop file: 8 categories and :count active products (set with
-- `.parameter set :count N` before reading this file). Names combine 8 materials and 12 things,
-- so searches like "copper kettle" match about 1/96 of the catalog. FTS triggers index every row.
BEGIN;
INSERT INTO categories (id, name, slug)
SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a'
             || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
       name, lower(name)
FROM (SELECT 'Kitchen' AS name UNION ALL SELECT 'Garden' UNION ALL SELECT 'Outdoor' UNION ALL SELECT 'Office'
      UNION ALL SELECT 'Bath' UNION ALL SELECT 'Living' UNION ALL SELECT 'Kids' UNION ALL SELECT 'Travel');

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count),
     words AS (SELECT i,
                      CASE i % 8 WHEN 0 THEN 'copper' WHEN 1 THEN 'bamboo' WHEN 2 THEN 'linen' WHEN 3 THEN 'walnut'
                                 WHEN 4 THEN 'ceramic' WHEN 5 THEN 'steel' WHEN 6 THEN 'wool' ELSE 'glass' END AS material,
                      CASE (i / 8) % 12 WHEN 0 THEN 'kettle' WHEN 1 THEN 'teapot' WHEN 2 THEN 'lamp' WHEN 3 THEN 'chair'
                                 WHEN 4 THEN 'basket' WHEN 5 THEN 'mug' WHEN 6 THEN 'blanket' WHEN 7 THEN 'bottle'
                                 WHEN 8 THEN 'planter' WHEN 9 THEN 'desk' WHEN 10 THEN 'towel' ELSE 'backpack' END AS thing
               FROM n),
     numbered AS (SELECT id AS category, row_number() OVER (ORDER BY slug) - 1 AS k FROM categories)
INSERT INTO products (id, sku, name, slug, description, price_minor, status, category_id, stock, low_stock_threshold, weight_grams)
SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a'
             || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
       'LOAD-' || i, material || ' ' || thing || ' ' || i, 'load-' || i,
       'A ' || material || ' ' || thing || ' made to last, with care for the details that matter every day. Item ' || i || '.',
       499 + (i * 37) % 20000, 'active',
       category, 1000000, 10, 500
FROM words JOIN numbered ON numbered.k = words.i % 8;
-- Load customers place orders without paying them: lift the shop's cap on unpaid orders per customer.
INSERT INTO system_config (id, key, value) VALUES (lower(hex(randomblob(4))) || '-0000-4000-8000-' || lower(hex(randomblob(6))),
    'orders.maxPendingPerCustomer', '1000000')
    ON CONFLICT (key) DO NOTHING;
-- Checkout as a real shop runs it: products weigh 500 g (set on insert, so their default variants
-- weigh the same), a zone for Germany and Austria with a flat and a weight-band method, 19 % VAT, and
-- the unlimited code LOAD10 (10 % off). The order scenario sends an address, the flat method (its id
-- is fixed here) and the code.
INSERT OR IGNORE INTO shipping_zones (id, name, methods, created_at, updated_at) VALUES ('00000000-0000-4000-8000-00000000a001', 'DACH',
    '[{"id":"00000000-0000-4000-8000-00000000b001","name":"Standard","rate":{"flat":{"priceMinor":490}},"freeAboveMinor":10000},'
    || '{"id":"00000000-0000-4000-8000-00000000b002","name":"Parcel","rate":{"weight":{"bands":[{"upToGrams":2000,"priceMinor":690},{"upToGrams":30000,"priceMinor":1490}]}}}]',
    strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now'));
INSERT OR IGNORE INTO shipping_zone_countries (country, zone_id) VALUES ('DE', '00000000-0000-4000-8000-00000000a001'),
    ('AT', '00000000-0000-4000-8000-00000000a001');
INSERT OR IGNORE INTO tax_rates (id, country, region, name, rate_ppm, created_at, updated_at)
    VALUES ('00000000-0000-4000-8000-00000000c001', 'DE', NULL, 'VAT', 190000, strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now'));
INSERT OR IGNORE INTO discounts (id, code, name, kind, amount, target, created_at, updated_at)
    VALUES ('00000000-0000-4000-8000-00000000d001', 'LOAD10', 'Load test 10 %', 'percentage', 100000, 'order',
            strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now'));
COMMIT;
