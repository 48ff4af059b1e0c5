-- Wake-on-commit: every transaction that inserts outbox rows notifies the relays when it commits
-- (PostgreSQL delivers NOTIFY at commit and folds repeats within a transaction into one).
CREATE FUNCTION outbox_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox_event', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER outbox_event_inserted AFTER INSERT ON outbox_event
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_event_notify();
