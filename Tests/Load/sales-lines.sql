-- A sales report of :orders paid orders of 100 lines each, written straight into a shop's file
-- (`.parameter set :orders N` before reading this file): the orders were paid over the last
-- :orders seconds (plus a minute), so the default 30-day report holds every line.
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :orders)
INSERT INTO orders (id, number, status, payment_method, currency, subtotal_minor, total_minor, created_at, updated_at)
SELECT printf('%08x-0000-4000-8000-%012x', i, i), 1000 + i, 'paid', 'card', 'USD', 100 * 1999, 100 * 1999,
       strftime('%Y-%m-%d %H:%M:%f', 'now', printf('-%d seconds', :orders - i + 60)), strftime('%Y-%m-%d %H:%M:%f', 'now') FROM n;
INSERT INTO order_status_history (order_id, seq, status, at) SELECT id, 1, 'paid', created_at FROM orders;
WITH RECURSIVE l(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM l WHERE j < 100)
INSERT INTO order_items (order_id, line, product_id, sku, name, quantity, unit_price_minor, line_total_minor)
SELECT o.id, l.j, printf('%08x-1111-4000-8000-%012x', l.j, l.j), 'SKU-' || l.j, 'Product "' || l.j || '", boxed', 1, 1999, 1999
FROM orders o, l;
COMMIT;
