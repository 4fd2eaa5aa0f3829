-- pgbench ceiling for the command path: one transaction that bumps a stream's version and
-- inserts one event row shaped like Marten's mt_events (same column types and indexes).
\set sid random(1, :streams)
BEGIN;
UPDATE bench.streams SET version = version + 1, timestamp = now() WHERE id = (SELECT id FROM bench.stream_ids WHERE n = :sid) RETURNING version \gset
INSERT INTO bench.events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived, headers, correlation_id, causation_id, user_name)
VALUES (nextval('bench.event_seq'), gen_random_uuid(), (SELECT id FROM bench.stream_ids WHERE n = :sid), :version,
        '{"indicator":"nutzung","value":42.5,"on":"2025-03-01","source":"Zählung vor Ort"}'::jsonb,
        'indicator-measured', now(), '*DEFAULT*', NULL, false,
        '{"actor":"bench","administration":"ba-mitte","hash":"0000000000000000000000000000000000000000000000000000000000000000"}'::jsonb,
        'bench-correlation', NULL, 'bench');
COMMIT;
