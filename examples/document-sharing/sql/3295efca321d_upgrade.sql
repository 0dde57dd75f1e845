-- 3295efca321d_upgrade.sql: Alembic revision c7e41a9d2b58 -> 3295efca321d (seed 002),
-- "add document sharing, user education level".
--
-- The SQL of backend/alembic/versions/3295efca321d_add_document_sharing_user_education_.py,
-- as `uv run alembic upgrade --sql c7e41a9d2b58:3295efca321d` prints it (seed Step 2/3,
-- "Preview changes"), with the constraint names PostgreSQL gives unnamed constraints
-- written out, so the rollback can name them.
--
--   1. new table document_shares, UNIQUE (document_id, shared_with_user_id)
--   2. users.education_level      VARCHAR(3), nullable (P6, S3, S6, TTC: a non-native Enum)
--   3. documents.is_personal      BOOLEAN NOT NULL DEFAULT false (admin vs student uploads)
--      documents.is_shared        BOOLEAN NOT NULL DEFAULT false
--   4. attempts.document_id       UUID, nullable, FK to documents
--   5. ix_documents_is_personal, ix_documents_is_shared
--      (ix_documents_is_archived already exists: not created here, and not dropped by the rollback)
--   6. alembic_version -> 3295efca321d (updates exactly 1 row when the database was at c7e41a9d2b58)
--
-- One transaction; strict on purpose (no IF NOT EXISTS): a database that is not at
-- c7e41a9d2b58 must stop the upgrade ("Column 'education_level' already exists").
-- Undo: 3295efca321d_downgrade.sql.

BEGIN;

-- Running upgrade c7e41a9d2b58 -> 3295efca321d

CREATE TABLE public.document_shares (
    id                   uuid NOT NULL DEFAULT gen_random_uuid(),
    document_id          uuid NOT NULL,
    shared_with_user_id  uuid NOT NULL,
    shared_by_user_id    uuid,
    shared_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT document_shares_pkey PRIMARY KEY (id),
    CONSTRAINT document_shares_document_id_fkey FOREIGN KEY (document_id)
        REFERENCES public.documents (id) ON DELETE CASCADE,
    CONSTRAINT document_shares_shared_with_user_id_fkey FOREIGN KEY (shared_with_user_id)
        REFERENCES public.users (id) ON DELETE CASCADE,
    CONSTRAINT document_shares_shared_by_user_id_fkey FOREIGN KEY (shared_by_user_id)
        REFERENCES public.users (id) ON DELETE SET NULL,
    CONSTRAINT uq_document_share UNIQUE (document_id, shared_with_user_id)
);

ALTER TABLE public.users ADD COLUMN education_level varchar(3);

ALTER TABLE public.documents ADD COLUMN is_personal boolean DEFAULT false NOT NULL;
ALTER TABLE public.documents ADD COLUMN is_shared boolean DEFAULT false NOT NULL;
CREATE INDEX ix_documents_is_personal ON public.documents (is_personal);
CREATE INDEX ix_documents_is_shared ON public.documents (is_shared);

ALTER TABLE public.attempts ADD COLUMN document_id uuid;
ALTER TABLE public.attempts ADD CONSTRAINT attempts_document_id_fkey FOREIGN KEY (document_id)
    REFERENCES public.documents (id) ON DELETE SET NULL;

UPDATE public.alembic_version SET version_num = '3295efca321d'
 WHERE alembic_version.version_num = 'c7e41a9d2b58';

COMMIT;
