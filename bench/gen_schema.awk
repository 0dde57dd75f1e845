# A pg_dump-style schema of `tables` tables (default 100, ~4,000 lines): per table a CREATE TABLE, a comment,
# a sequence default, a plpgsql function with a $$ body, a trigger, a view and indexes. Deterministic.
BEGIN {
    if (tables == "") tables = 100
    print "--\n-- PostgreSQL database dump\n--\n"
    print "SET statement_timeout = 0;\nSET lock_timeout = 0;\nSET client_encoding = 'UTF8';"
    print "SET standard_conforming_strings = on;"
    print "SELECT pg_catalog.set_config('search_path', '', false);"
    print "SET check_function_bodies = false;\nSET client_min_messages = warning;\n"
    for (t = 1; t <= tables; t++) {
        n = sprintf("item_%03d", t)
        print "--\n-- Name: " n "; Type: TABLE; Schema: public\n--\n"
        print "CREATE TABLE public." n " (\n    id bigint NOT NULL,\n    name text NOT NULL,"
        print "    price numeric(12,2) DEFAULT 0 NOT NULL,\n    state text DEFAULT 'new'::text,"
        print "    updated_at timestamp with time zone DEFAULT now() NOT NULL,\n    CONSTRAINT " n "_price_check CHECK ((price >= (0)::numeric))\n);\n"
        print "COMMENT ON TABLE public." n " IS 'items; table " t " (it''s generated)';\n"
        print "CREATE SEQUENCE public." n "_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;"
        print "ALTER SEQUENCE public." n "_id_seq OWNED BY public." n ".id;"
        print "ALTER TABLE ONLY public." n " ALTER COLUMN id SET DEFAULT nextval('public." n "_id_seq'::regclass);\n"
        print "CREATE FUNCTION public." n "_touch() RETURNS trigger\n    LANGUAGE plpgsql\n    AS $$"
        print "BEGIN\n    -- keep updated_at fresh; a ';' in a comment\n    NEW.updated_at := now();"
        print "    IF NEW.state IS NULL THEN\n        NEW.state := 'new';\n    END IF;\n    RETURN NEW;\nEND;\n$$;\n"
        print "CREATE TRIGGER " n "_touch BEFORE UPDATE ON public." n " FOR EACH ROW EXECUTE FUNCTION public." n "_touch();\n"
        print "CREATE VIEW public." n "_priced AS\n SELECT " n ".id,\n    " n ".name,\n    " n ".price"
        print "   FROM public." n "\n  WHERE (" n ".price > (0)::numeric);\n"
        print "ALTER TABLE ONLY public." n "\n    ADD CONSTRAINT " n "_pkey PRIMARY KEY (id);\n"
        print "CREATE INDEX " n "_name_idx ON public." n " USING btree (name);\n"
    }
    print "--\n-- PostgreSQL database dump complete\n--"
}
