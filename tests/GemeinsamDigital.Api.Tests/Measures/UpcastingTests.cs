using GemeinsamDigital.Domain.Measures;
using Marten;
using Npgsql;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Measures;

/// <summary>
/// Events are a versioned contract: a row written in the first shape of the proposal event
/// ("measure-proposed", one administration, one perspective, no source) still loads, upcast to
/// today's MeasureProposed, through the API. The row is written with plain SQL, as the prototype
/// wrote it, including a CLR type name that no longer exists.
/// </summary>
public class UpcastingTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly MeasureDriver _measures = new(api.Client);

    private async Task WriteOldShapeStream(Guid id)
    {
        var data = $$"""
            {"measureId": "{{id}}", "title": "Kiezbox (Prototyp)", "problemStatement": "Im Krisenfall fehlen im Kiez Kommunikationswege.",
             "type": "zentral", "administration": "tsb", "perspective": "zp1"}
            """;
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var stream = new NpgsqlCommand(
            $"insert into {EventStoreSetup.Schema}.mt_streams (id, type, version, timestamp, created) values (@id, 'measure_state', 1, @at, @at)", connection, tx))
        {
            stream.Parameters.AddWithValue("id", id);
            stream.Parameters.AddWithValue("at", new DateTimeOffset(2022, 5, 2, 8, 0, 0, TimeSpan.Zero));
            await stream.ExecuteNonQueryAsync();
        }
        await using (var e = new NpgsqlCommand(
            $"""
            insert into {EventStoreSetup.Schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, mt_dotnet_type, headers)
            values (nextval('{EventStoreSetup.Schema}.mt_events_sequence'), @eventId, @id, 1, @data::jsonb, @type, @at, @clr, @headers::jsonb)
            """, connection, tx))
        {
            e.Parameters.AddWithValue("eventId", Guid.NewGuid());
            e.Parameters.AddWithValue("id", id);
            e.Parameters.AddWithValue("data", data);
            e.Parameters.AddWithValue("type", MeasureProposedV1.StoredName);
            e.Parameters.AddWithValue("at", new DateTimeOffset(2022, 5, 2, 8, 0, 0, TimeSpan.Zero));
            e.Parameters.AddWithValue("clr", "GemeinsamDigital.Prototype.MeasureProposed, GemeinsamDigital.Prototype");
            e.Parameters.AddWithValue("headers", """{"actor": "prototype", "reason": "Übernahme aus dem Prototyp"}""");
            await e.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
    }

    [Fact]
    public async Task A_stream_of_the_old_proposal_shape_loads_as_MeasureProposed()
    {
        var id = Guid.NewGuid();
        await WriteOldShapeStream(id);

        // The old row's event type name is mapped to the upcaster: reading the stream yields the new type.
        var events = await _measures.Events(id);
        var proposed = events.ShouldHaveSingleItem();
        proposed.Type.ShouldBe("measure-proposed");
        (proposed.Actor, proposed.Reason).ShouldBe(("prototype", "Übernahme aus dem Prototyp"));
        proposed.Data.GetProperty("lead").GetString().ShouldBe("tsb");
        proposed.Data.GetProperty("perspectives").EnumerateArray().Select(p => p.GetString()).ShouldBe(["zp1"]);
        proposed.Data.GetProperty("source").GetProperty("kind").GetString().ShouldBe("verwaltung");
        proposed.Data.TryGetProperty("administration", out _).ShouldBeFalse();

        // The history, written from stored rows, shows the old row upcast as well, beside the stored type name.
        var history = await (await api.Client.GetAsync($"/api/measures/{id}/history")).Json();
        var item = history.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        item.GetProperty("type").GetString().ShouldBe("measure-proposed");
        item.GetProperty("data").GetRawText().ShouldBe(proposed.Data.GetRawText());

        await using (var session = api.Store.QuerySession())
        {
            var upcast = (await session.Events.FetchStreamAsync(id)).ShouldHaveSingleItem().Data.ShouldBeOfType<MeasureProposed>();
            (upcast.MeasureId, upcast.Lead, upcast.Description).ShouldBe((id, "tsb", null));
        }

        // The prototype never stored the measure's state: rebuilding it runs the upcast event through evolve.
        await api.Store.Advanced.RebuildSingleStreamAsync<MeasureState>(id);
        var measure = await _measures.Read(id);
        (measure.Stage, measure.Version, measure.Title, measure.Lead, measure.Type).ShouldBe((MeasureStage.Idea, 1L, "Kiezbox (Prototyp)", "tsb", "zentral"));
        measure.Perspectives.ShouldBe(["zp1"]);
        measure.Source.ShouldBe(new IdeaSource("verwaltung", "tsb", null));
        measure.ProposedAt.ShouldBe(new DateTimeOffset(2022, 5, 2, 8, 0, 0, TimeSpan.Zero));

        // The old stream lives on: new events are appended behind the old row, which stays as written.
        await _measures.Send(id, SampleCommands.UnderstandProblem(), ifMatch: ETags.For(1));
        (await _measures.Read(id)).Stage.ShouldBe(MeasureStage.ProblemUnderstood);

        // Time travel folds the old row upcast too.
        var then = await (await api.Client.GetAsync($"/api/measures/{id}?version=1")).Json();
        (then.GetProperty("stage").GetString(), then.GetProperty("lead").GetString(), then.GetProperty("version").GetInt64()).ShouldBe(("idea", "tsb", 1L));
        (await _measures.Events(id)).Select(e => e.Type).ShouldBe(["measure-proposed", "problem-understood"]);

        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var raw = new NpgsqlCommand($"select type, data->>'administration' from {EventStoreSetup.Schema}.mt_events where stream_id = @id and version = 1", connection);
        raw.Parameters.AddWithValue("id", id);
        await using var reader = await raw.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue();
        (reader.GetString(0), reader.GetString(1)).ShouldBe(("measure-proposed", "tsb"));
    }

    [Fact]
    public async Task New_events_are_stored_under_their_stable_names_without_clr_type_names()
    {
        var id = await _measures.ProposeIn(MeasureStage.ProblemUnderstood);
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand($"select type, data::text from {EventStoreSetup.Schema}.mt_events where stream_id = @id order by version", connection);
        query.Parameters.AddWithValue("id", id);
        var rows = new List<(string Type, string Data)>();
        await using (var reader = await query.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        rows.Select(r => r.Type).ShouldBe([EventTypes.NameOf(typeof(MeasureProposed)), EventTypes.NameOf(typeof(ProblemUnderstood))]);
        rows.ShouldAllBe(r => !r.Data.Contains("$type") && !r.Data.Contains("GemeinsamDigital"));
    }
}
