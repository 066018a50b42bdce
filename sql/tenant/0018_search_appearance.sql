-- What search results and shared links show for a product or category when staff set it
-- (issue 38): an SEO title and description. NULL: the page's own name and description.
-- The limits are SearchAppearance's (Emporium checks them first; these keep the file honest).
ALTER TABLE products ADD COLUMN seo_title TEXT CHECK (seo_title IS NULL OR length(seo_title) BETWEEN 1 AND 120);
ALTER TABLE products ADD COLUMN seo_description TEXT CHECK (seo_description IS NULL OR length(seo_description) BETWEEN 1 AND 320);
ALTER TABLE categories ADD COLUMN seo_title TEXT CHECK (seo_title IS NULL OR length(seo_title) BETWEEN 1 AND 120);
ALTER TABLE categories ADD COLUMN seo_description TEXT CHECK (seo_description IS NULL OR length(seo_description) BETWEEN 1 AND 320);
