-- Full-text search over a request's type, description and conversation, in Dutch and English
-- at once (each word stemmed both ways), kept up to date by triggers: whoever writes a request
-- or a comment, its search document follows in the same transaction.
ALTER TABLE requests ADD COLUMN IF NOT EXISTS search tsvector NOT NULL DEFAULT ''::tsvector;

CREATE OR REPLACE FUNCTION search_words(body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN to_tsvector('dutch'::regconfig, coalesce(body, '')) || to_tsvector('english'::regconfig, coalesce(body, ''));

CREATE OR REPLACE FUNCTION search_query(words text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN websearch_to_tsquery('dutch'::regconfig, words) || websearch_to_tsquery('english'::regconfig, words);

CREATE OR REPLACE FUNCTION requests_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search :=
        setweight(search_words((SELECT t.name_nl || ' ' || t.name_en FROM request_types t WHERE t.id = NEW.type_id)), 'A')
        || setweight(search_words(NEW.description), 'B')
        || setweight(search_words((SELECT string_agg(c.body, ' ') FROM comments c WHERE c.request_id = NEW.id)), 'C');
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS requests_search_document ON requests;
CREATE TRIGGER requests_search_document BEFORE INSERT OR UPDATE OF description, type_id ON requests
    FOR EACH ROW EXECUTE FUNCTION requests_search_document();

CREATE OR REPLACE FUNCTION comments_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE requests SET search = search || setweight(search_words(NEW.body), 'C') WHERE id = NEW.request_id;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS comments_search_document ON comments;
CREATE TRIGGER comments_search_document AFTER INSERT ON comments
    FOR EACH ROW EXECUTE FUNCTION comments_search_document();

UPDATE requests SET description = description;  -- the documents of requests already there
CREATE INDEX IF NOT EXISTS requests_search ON requests USING gin (search);
-- "My requests" includes those made on my behalf.
CREATE INDEX IF NOT EXISTS requests_on_behalf ON requests (on_behalf_of, submitted_at DESC) WHERE on_behalf_of IS NOT NULL;
