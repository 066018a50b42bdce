-- The search's vocabulary (issue 38, "search that forgives"): every word of the products' full-
-- text index, with how many products hold it. A search that finds nothing looks its misspelt
-- words up here (only the range of words sharing their first letter) for the closest one.
-- fts5vocab reads the index itself: nothing to keep in step, no space taken.
CREATE VIRTUAL TABLE products_fts_vocab USING fts5vocab (products_fts, row);
