-- Tables shaped like Marten's event store (gd.mt_streams / gd.mt_events) for the pgbench ceiling.
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
CREATE SEQUENCE bench.event_seq;
CREATE TABLE bench.streams (
  id uuid PRIMARY KEY, type varchar, version bigint, timestamp timestamptz NOT NULL DEFAULT now(),
  created timestamptz NOT NULL DEFAULT now(), compacted_version bigint NOT NULL DEFAULT 0,
  tenant_id varchar DEFAULT '*DEFAULT*', is_archived bool DEFAULT false);
CREATE TABLE bench.events (
  seq_id bigint PRIMARY KEY, id uuid NOT NULL, stream_id uuid REFERENCES bench.streams(id) ON DELETE CASCADE,
  version bigint NOT NULL, data jsonb NOT NULL, bdata bytea, type varchar(500) NOT NULL,
  timestamp timestamptz NOT NULL DEFAULT now(), tenant_id varchar DEFAULT '*DEFAULT*',
  mt_dotnet_type varchar, is_archived bool DEFAULT false, headers jsonb,
  correlation_id varchar, causation_id varchar, user_name varchar);
CREATE UNIQUE INDEX pk_bench_events_stream_and_version ON bench.events (stream_id, version);
CREATE TABLE bench.stream_ids (n int PRIMARY KEY, id uuid NOT NULL);
INSERT INTO bench.stream_ids SELECT g, gen_random_uuid() FROM generate_series(1, :streams) g;
INSERT INTO bench.streams (id, type, version) SELECT id, 'measure_state', 0 FROM bench.stream_ids;
