-- ektp issuance registry, schema version 1.
-- Applied once, in a transaction, by ektp_registry::migrate (recorded in ektp_migrations).
-- Every write goes through the SECURITY DEFINER functions below, which hold the invariants
-- (no document number, chip or application issued twice; a replacement revokes the card it
-- replaces in the same transaction); the roles get EXECUTE on the functions they need and
-- SELECT where they look up, never INSERT/UPDATE/DELETE on the tables.

CREATE TYPE application_type AS ENUM
    ('new', 'data_change', 'damaged', 'lost', 'domicile_change');
CREATE TYPE application_status AS ENUM
    ('submitted', 'issued', 'ready', 'collected', 'refused', 'abandoned');
CREATE TYPE revocation_reason AS ENUM
    ('replaced', 'lost', 'stolen', 'damaged', 'data_changed', 'deceased');
CREATE TYPE holder_check AS ENUM ('fingerprint', 'power_of_attorney');

CREATE TABLE applications (
    application_id  text PRIMARY KEY CHECK (application_id ~ '^[A-Za-z0-9._-]{1,64}$'),
    nik             text NOT NULL CHECK (nik ~ '^[0-9]{16}$'),
    type            application_type NOT NULL,
    replaces        text CHECK (replaces ~ '^[0-9A-Z]{1,9}$'),
    status          application_status NOT NULL DEFAULT 'submitted',
    submitted_at    timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((type = 'new') = (replaces IS NULL))
);
CREATE INDEX applications_by_nik ON applications (nik);

-- A station's claim on an application before it writes a chip (online stations only): the
-- first claim wins, so two stations with overlapping queues never write the same one.
CREATE TABLE claims (
    application_id  text PRIMARY KEY REFERENCES applications,
    station         text NOT NULL,
    claimed_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE issued_cards (
    document_number text PRIMARY KEY CHECK (document_number ~ '^[0-9A-Z]{1,9}$'),
    application_id  text NOT NULL UNIQUE REFERENCES applications,
    chip_serial     text NOT NULL UNIQUE CHECK (chip_serial ~ '^[0-9a-f]{1,64}$'),
    sod_sha256      bytea NOT NULL CHECK (length(sod_sha256) = 32),
    station         text NOT NULL,
    document_signer text NOT NULL,
    issued_at       timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE handovers (
    document_number    text PRIMARY KEY REFERENCES issued_cards,  -- one handover per card
    desk               text NOT NULL,
    handed_at          timestamptz NOT NULL DEFAULT now(),
    holder_check       holder_check NOT NULL,
    fingerprint_score  integer CHECK (fingerprint_score >= 0),
    attorney_reference text CHECK (length(attorney_reference) BETWEEN 1 AND 128),
    CHECK ((holder_check = 'fingerprint') = (fingerprint_score IS NOT NULL)),
    CHECK ((holder_check = 'power_of_attorney') = (attorney_reference IS NOT NULL))
);

CREATE TABLE revocations (
    document_number text PRIMARY KEY CHECK (document_number ~ '^[0-9A-Z]{1,9}$'),
    reason          revocation_reason NOT NULL,
    revoked_at      timestamptz NOT NULL DEFAULT now(),
    revoked_by      text NOT NULL
);

-- Errors the functions raise, SQLSTATE class 'EK' (ektp_registry::Error maps them):
--   EK001 application unknown            EK002 application already issued elsewhere
--   EK003 document number taken          EK004 chip already issued
--   EK005 card not recorded as issued    EK006 EF.SOD differs from the record
--   EK007 card revoked                   EK008 card already handed over
--   EK009 status change not allowed      EK010 application claimed by another station

CREATE FUNCTION ektp_reason_for(t application_type) RETURNS revocation_reason
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE t WHEN 'lost' THEN 'lost'::revocation_reason
                  WHEN 'damaged' THEN 'damaged'::revocation_reason
                  WHEN 'data_change' THEN 'data_changed'::revocation_reason
                  ELSE 'replaced'::revocation_reason END
$$;

-- An application accepted by intake; a lost-card application revokes the lost card now.
CREATE FUNCTION ektp_submit_application(p_id text, p_nik text, p_type application_type,
                                        p_replaces text, p_by text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO applications (application_id, nik, type, replaces)
        VALUES (p_id, p_nik, p_type, p_replaces);
    IF p_type = 'lost' THEN
        INSERT INTO revocations (document_number, reason, revoked_by)
            VALUES (p_replaces, 'lost', p_by) ON CONFLICT (document_number) DO NOTHING;
    END IF;
END $$;

-- A station claims an application before writing it (idempotent for the same station).
CREATE FUNCTION ektp_claim(p_id text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE owner text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM applications WHERE application_id = p_id) THEN
        RAISE EXCEPTION 'application unknown' USING ERRCODE = 'EK001';
    END IF;
    INSERT INTO claims (application_id, station) VALUES (p_id, session_user)
        ON CONFLICT (application_id) DO NOTHING;
    SELECT station INTO owner FROM claims WHERE application_id = p_id;
    IF owner <> session_user THEN
        RAISE EXCEPTION 'application claimed by station %', owner USING ERRCODE = 'EK010';
    END IF;
    IF EXISTS (SELECT 1 FROM issued_cards WHERE application_id = p_id) THEN
        RAISE EXCEPTION 'application already issued' USING ERRCODE = 'EK002';
    END IF;
END $$;

-- A station records an issued card (its journal row). Idempotent: the same row again is a
-- no-op returning false; a clash raises. The station is the session user (its own rows
-- only). Issuing a replacement revokes the card it replaces, in this transaction.
CREATE FUNCTION ektp_record_issued(p_id text, p_nik text, p_document text, p_chip text,
                                   p_sod bytea, p_signer text, p_issued_at timestamptz)
RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE app applications%ROWTYPE; prior issued_cards%ROWTYPE;
BEGIN
    -- A station that issued offline may be first to tell the registry of an application.
    INSERT INTO applications (application_id, nik, type) VALUES (p_id, p_nik, 'new')
        ON CONFLICT (application_id) DO NOTHING;
    SELECT * INTO app FROM applications WHERE application_id = p_id FOR UPDATE;
    SELECT * INTO prior FROM issued_cards WHERE application_id = p_id;
    IF FOUND THEN
        IF prior.document_number = p_document AND prior.chip_serial = p_chip
           AND prior.sod_sha256 = p_sod AND prior.station = session_user THEN
            RETURN false;
        END IF;
        RAISE EXCEPTION 'application already issued (document %)', prior.document_number
            USING ERRCODE = 'EK002';
    END IF;
    IF EXISTS (SELECT 1 FROM claims WHERE application_id = p_id AND station <> session_user)
    THEN
        RAISE EXCEPTION 'application claimed by another station' USING ERRCODE = 'EK010';
    END IF;
    IF EXISTS (SELECT 1 FROM issued_cards WHERE document_number = p_document) THEN
        RAISE EXCEPTION 'document number taken' USING ERRCODE = 'EK003';
    END IF;
    IF EXISTS (SELECT 1 FROM issued_cards WHERE chip_serial = p_chip) THEN
        RAISE EXCEPTION 'chip already issued' USING ERRCODE = 'EK004';
    END IF;
    INSERT INTO issued_cards (document_number, application_id, chip_serial, sod_sha256,
                              station, document_signer, issued_at)
        VALUES (p_document, p_id, p_chip, p_sod, session_user, p_signer, p_issued_at);
    UPDATE applications SET status = 'issued', updated_at = now() WHERE application_id = p_id;
    IF app.replaces IS NOT NULL THEN
        INSERT INTO revocations (document_number, reason, revoked_by)
            VALUES (app.replaces, ektp_reason_for(app.type), 'replacement ' || p_id)
            ON CONFLICT (document_number) DO NOTHING;
    END IF;
    RETURN true;
END $$;

-- A desk records the handover of a card it verified: the card must be the one issued (same
-- EF.SOD), not revoked, and not handed over before.
CREATE FUNCTION ektp_record_handover(p_document text, p_sod bytea, p_desk text,
                                     p_check holder_check, p_score integer,
                                     p_attorney text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE card issued_cards%ROWTYPE;
BEGIN
    SELECT * INTO card FROM issued_cards WHERE document_number = p_document FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'card not recorded as issued' USING ERRCODE = 'EK005';
    END IF;
    IF card.sod_sha256 <> p_sod THEN
        RAISE EXCEPTION 'EF.SOD differs from the issued card' USING ERRCODE = 'EK006';
    END IF;
    IF EXISTS (SELECT 1 FROM revocations WHERE document_number = p_document) THEN
        RAISE EXCEPTION 'card revoked' USING ERRCODE = 'EK007';
    END IF;
    IF EXISTS (SELECT 1 FROM handovers WHERE document_number = p_document) THEN
        RAISE EXCEPTION 'card already handed over' USING ERRCODE = 'EK008';
    END IF;
    INSERT INTO handovers (document_number, desk, holder_check, fingerprint_score,
                           attorney_reference)
        VALUES (p_document, p_desk, p_check, p_score, p_attorney);
    UPDATE applications SET status = 'collected', updated_at = now()
        WHERE application_id = card.application_id;
END $$;

-- Status changes outside issuance and handover: ready (card at the desk), refused,
-- abandoned.
CREATE FUNCTION ektp_set_status(p_id text, p_status application_status)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE cur application_status;
BEGIN
    SELECT status INTO cur FROM applications WHERE application_id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'application unknown' USING ERRCODE = 'EK001';
    END IF;
    IF NOT ((cur = 'issued' AND p_status = 'ready')
         OR (cur = 'submitted' AND p_status IN ('refused', 'abandoned'))
         OR (cur IN ('issued', 'ready') AND p_status = 'abandoned')) THEN
        RAISE EXCEPTION 'status % cannot become %', cur, p_status USING ERRCODE = 'EK009';
    END IF;
    UPDATE applications SET status = p_status, updated_at = now() WHERE application_id = p_id;
END $$;

-- The department revokes a card (stolen, deceased, ...). Revoking twice keeps the first.
CREATE FUNCTION ektp_revoke(p_document text, p_reason revocation_reason, p_by text)
RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO revocations (document_number, reason, revoked_by)
        VALUES (p_document, p_reason, p_by) ON CONFLICT (document_number) DO NOTHING;
    RETURN FOUND;
END $$;

-- Roles (cluster-wide; created once, shared by every registry database of the cluster).
DO $$ BEGIN
    CREATE ROLE ektp_station NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
DO $$ BEGIN
    CREATE ROLE ektp_desk NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
DO $$ BEGIN
    CREATE ROLE ektp_intake NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ektp_claim(text), ektp_record_issued(text, text, text, text, bytea,
      text, timestamptz) TO ektp_station;
GRANT SELECT ON issued_cards TO ektp_station;
GRANT EXECUTE ON FUNCTION ektp_record_handover(text, bytea, text, holder_check, integer, text),
      ektp_set_status(text, application_status) TO ektp_desk;
GRANT SELECT ON applications, issued_cards, handovers, revocations TO ektp_desk;
GRANT EXECUTE ON FUNCTION ektp_submit_application(text, text, application_type, text, text),
      ektp_set_status(text, application_status) TO ektp_intake;
GRANT SELECT ON applications TO ektp_intake;
