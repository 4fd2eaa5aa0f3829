using System.Net;
using System.Text.Json;
using GemeinsamDigital.Domain.Measures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Audit;

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public DateTimeOffset Advance(TimeSpan by) => _now += by;
}

/// <summary>The service with a hand-moved clock, so every event's timestamp is known exactly.</summary>
public sealed class ClockedApiFixture : ApiFixture
{
    // After the samples' dates of what happened (milestones, measurements): those may not lie in the future.
    public ManualClock Clock { get; } = new(new DateTimeOffset(2025, 3, 15, 9, 0, 0, TimeSpan.Zero));

    protected override void Configure(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
}

/// <summary>
/// Drives a measure through the API and, beside it, through the pure domain by hand: the states
/// expected after every version, computed without the database.
/// </summary>
public sealed class Scenario(HttpClient client, ManualClock? clock = null)
{
    public Guid Id { get; private set; }

    /// <summary>Index v-1 holds the state right after version v.</summary>
    public List<MeasureState> Expected { get; } = [];

    public List<DateTimeOffset> Times { get; } = [];

    public async Task<Scenario> Propose(ProposeMeasure command)
    {
        var response = await client.PostJson("/api/measures", command);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        Id = (await response.Read<CommandAccepted>()).MeasureId;
        Apply(MeasureLifecycle.Propose(Id, command));
        return this;
    }

    public async Task<Scenario> Step<TCommand>(TCommand command) where TCommand : IMeasureCommand
    {
        clock?.Advance(TimeSpan.FromDays(3));
        var response = await client.PostJson($"/api/measures/{Id}/{TCommand.Name}", command);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Apply(MeasureLifecycle.Decide(Expected[^1], command));
        return this;
    }

    private void Apply(Decision decision)
    {
        decision.Rejection.ShouldBeNull();
        var at = clock?.GetUtcNow() ?? DateTimeOffset.MinValue;
        foreach (var e in decision.Events)
        {
            Expected.Add(MeasureEvolution.Evolve(Expected.Count == 0 ? null : Expected[^1], e, new EventInfo(Expected.Count + 1, at)));
            Times.Add(at);
        }
    }

    /// <summary>A pilot cycle, its evaluation and an iteration: a long-lived measure.</summary>
    public async Task<Scenario> LongLife()
    {
        await Propose(SampleCommands.Propose());
        await Step(SampleCommands.UnderstandProblem());
        await Step(SampleCommands.DefineGoals());
        await Step(SampleCommands.Mandate());
        for (var cycle = 0; cycle < 2; cycle++)
        {
            await Step(SampleCommands.StartPilot());
            await Step(SampleCommands.ReachMilestone());
            await Step(SampleCommands.RecordParticipation());
            await Step(SampleCommands.RecordMeasurement());
            await Step(new RecordRisk($"r{cycle}", "conflict", "Lieferverkehr gegen Aufenthalt."));
            await Step(new ResolveRisk($"r{cycle}", "Lieferzonen zeitlich begrenzt."));
            await Step(new AmendDetails($"Smart Space Hardenbergplatz ({cycle + 2}. Fassung)", null, null));
            await Step(SampleCommands.StartEvaluation());
            await Step(SampleCommands.CompleteEvaluation());
            if (cycle == 0)
            {
                await Step(SampleCommands.Iterate());
            }
        }
        await Step(SampleCommands.Scale());
        return this;
    }
}

public static class AuditAssertions
{
    /// <summary>Two states are equal when their JSON is.</summary>
    /// <summary>Equal to a state folded by hand; the hash link (which a pure fold cannot know) is checked on its own.</summary>
    public static void ShouldEqualState(this MeasureState actual, MeasureState expected) =>
        JsonSerializer.Serialize(actual with { LastEventHash = null }, HttpExtensions.JsonOptions)
            .ShouldBe(JsonSerializer.Serialize(expected with { LastEventHash = null }, HttpExtensions.JsonOptions));

    public static async Task Sql(this ApiFixture api, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> Scalar<T>(this ApiFixture api, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
