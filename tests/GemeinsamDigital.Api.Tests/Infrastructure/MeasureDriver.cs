using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GemeinsamDigital.Domain.Measures;

namespace GemeinsamDigital.Api.Tests.Infrastructure;

/// <summary>Drives measures through the HTTP API: send a lifecycle command, read state and events back.</summary>
public sealed class MeasureDriver(HttpClient client)
{
    public static string Url<TCommand>(Guid id) where TCommand : IMeasureCommand => $"/api/measures/{id}/{TCommand.Name}";

    public async Task<Guid> Propose(ProposeMeasure? proposal = null)
    {
        var response = await client.PostJson("/api/measures", proposal ?? SampleCommands.Propose());
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Read<CommandAccepted>()).MeasureId;
    }

    /// <summary>Posts a command with optional X-Reason, X-Correlation-Id and If-Match headers.</summary>
    public Task<HttpResponseMessage> Post<TCommand>(Guid id, TCommand command, string? reason = null, string? ifMatch = null, string? correlationId = null)
        where TCommand : IMeasureCommand
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url<TCommand>(id))
        {
            Content = JsonContent.Create(command, options: HttpExtensions.JsonOptions),
        };
        if (reason is not null)
        {
            request.Headers.TryAddWithoutValidation(CommandMetadata.ReasonHttpHeader, reason);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (correlationId is not null)
        {
            request.Headers.TryAddWithoutValidation(CommandMetadata.CorrelationHttpHeader, correlationId);
        }
        return client.SendAsync(request);
    }

    /// <summary>Sends a command that must be accepted.</summary>
    public async Task<CommandAccepted> Send<TCommand>(Guid id, TCommand command, string? reason = null, string? ifMatch = null)
        where TCommand : IMeasureCommand
    {
        var response = await Post(id, command, reason, ifMatch);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{TCommand.Name}: {await response.Content.ReadAsStringAsync()}");
        return await response.Read<CommandAccepted>();
    }

    public async Task<MeasureState> Read(Guid id)
    {
        var response = await client.GetAsync($"/api/measures/{id}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Read<MeasureState>();
    }

    public async Task<List<MeasureEventView>> Events(Guid id)
    {
        var response = await client.GetAsync($"/api/measures/{id}/events");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Read<ItemList<MeasureEventView>>()).Items.ToList();
    }

    /// <summary>A new measure brought into the given stage with the sample commands (up to Evaluated).</summary>
    public async Task<Guid> ProposeIn(MeasureStage stage)
    {
        var id = await Propose();
        Func<Task>[] path =
        [
            () => Send(id, SampleCommands.UnderstandProblem()),
            () => Send(id, SampleCommands.DefineGoals()),
            () => Send(id, SampleCommands.Mandate()),
            () => Send(id, SampleCommands.StartPilot()),
            () => Send(id, SampleCommands.StartEvaluation()),
            () => Send(id, SampleCommands.CompleteEvaluation()),
        ];
        MeasureStage[] reached = [MeasureStage.ProblemUnderstood, MeasureStage.GoalsDefined, MeasureStage.Mandated, MeasureStage.Pilot, MeasureStage.Evaluation, MeasureStage.Evaluated];
        if (stage != MeasureStage.Idea && !reached.Contains(stage))
        {
            throw new ArgumentOutOfRangeException(nameof(stage), stage, "ProposeIn goes as far as Evaluated.");
        }
        for (var i = 0; i < path.Length && stage != MeasureStage.Idea; i++)
        {
            await path[i]();
            if (reached[i] == stage)
            {
                break;
            }
        }
        return id;
    }
}
