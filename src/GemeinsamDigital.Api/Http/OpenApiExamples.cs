using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GemeinsamDigital.Domain.Measures;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace GemeinsamDigital.Api.Http;

/// <summary>
/// Documents every command operation: its request example (SampleCommands), the optional
/// headers every command reads (X-Reason, X-Correlation-Id, If-Match), and an example of each
/// problem response whose extension members the ProblemDetails schema cannot show (for the batch
/// of measure commands also its answer, whose items carry those problems).
/// </summary>
public sealed class OpenApiExamples : IOperationFilter
{
    private static readonly JsonSerializerOptions _exampleJson = new(ApiJson.Options)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var requestType = RequestType(context);
        if (requestType is not null && Sample(requestType) is { } example)
        {
            foreach (var media in (operation.RequestBody?.Content?.Values ?? []).OfType<OpenApiMediaType>())
            {
                media.Example = JsonSerializer.SerializeToNode(example, requestType, _exampleJson);
            }
        }
        if (!(context.ApiDescription.ActionDescriptor.EndpointMetadata ?? []).OfType<IdempotentCommandAttribute>().Any())
        {
            return;
        }

        // Every command reads these (the pipeline's metadata step), revision phase commands included.
        operation.Parameters ??= [];
        operation.Parameters.Add(Header(CommandMetadata.ReasonHttpHeader,
            $"Optional reason for this step, recorded with its events (at most {CommandMetadata.MaxReason} characters). "
            + "Percent-encode non-ASCII characters as UTF-8, e.g. `Beschluss%20des%20Lenkungskreises`.",
            // The limit counts decoded characters; percent-encoded, one takes up to nine.
            "Beschluss des Lenkungskreises vom 12.03.2024", CommandMetadata.MaxReason * 9));
        operation.Parameters.Add(Header(CommandMetadata.CorrelationHttpHeader,
            $"Optional id tying this request to others; recorded with the events and echoed in the response (a longer one than {CommandMetadata.MaxCorrelationId} characters is replaced by one of ours).",
            "c0ffee00c0ffee00c0ffee00c0ffee00", CommandMetadata.MaxCorrelationId));
        if (context.ApiDescription.ParameterDescriptions.Any(p => p.Source == BindingSource.Path))
        {
            var ifMatch = Header("If-Match",
                "Optional ETag (the stream's version) as last read. If it has changed since, the command is refused with 412 (`*`: any version).",
                ETags.For(5), ETags.MaxLength);
            ((OpenApiSchema)ifMatch.Schema!).Pattern = ETags.IfMatchPattern;
            operation.Parameters.Add(ifMatch);
        }
        if (requestType is not null && typeof(IMeasureCommand).IsAssignableFrom(requestType))
        {
            Example(operation, "409", Problem(409, "transition-not-allowed", "The command is not allowed in the measure's current stage.",
                "'start-pilot' is not allowed while the measure is in stage 'Idea'.", new JsonObject
                {
                    ["currentStage"] = "idea",
                    ["currentStageLabel"] = MeasureStage.Idea.Label(),
                    ["command"] = "start-pilot",
                    ["allowedCommands"] = new JsonArray([.. MeasureLifecycle.AllowedFrom(MeasureStage.Idea).Select(c => JsonValue.Create(c))]),
                }));
            Example(operation, "412", Problem(412, "stale-version", "The measure has changed since you read it.",
                "If-Match names version 5, the measure is at version 6. Read it again and retry.",
                new JsonObject { ["expectedVersion"] = 5, ["currentVersion"] = 6 }));
            Example(operation, "422", Problem(422, "rule-violated", "The command breaks a rule of the measure's lifecycle.",
                "A pilot ends after it starts.", new JsonObject { ["errors"] = new JsonObject { ["end"] = new JsonArray("A pilot ends after it starts.") } }));
            Example(operation, "403", Problem(403, "command-not-permitted", "Your position in the project team does not allow this command.",
                "'start-pilot' is open to editors of the lead administration and to the strategy office; yours is participating.", new JsonObject
                {
                    ["command"] = "start-pilot",
                    ["position"] = "participating",
                    ["allowedPositions"] = new JsonArray("lead"),
                }));
            Example(operation, "404", Problem(404, "measure-not-found", "No such measure.",
                "There is no measure with id '0193a000-0000-7000-8000-000000000001'.", []));
        }
        if (requestType == typeof(CommandBatch))
        {
            // Refused items are answered inside the 200; a 400 is the batch's own.
            Example(operation, "200", JsonSerializer.SerializeToNode(BatchAnswer.Example, ApiJson.Options)!.AsObject(), "application/json");
            Example(operation, "400", Problem(400, "validation", "The request is invalid.", "One or more fields are missing or invalid; see 'errors'.",
                new JsonObject { ["errors"] = new JsonObject { ["items"] = new JsonArray($"A batch holds 1 to {CommandBatch.MaxItems} items (it holds 0).") } },
                "/api/measures/batch"));
            return;
        }
        Example(operation, "400", Problem(400, "validation", "The request is invalid.", "One or more fields are missing or invalid; see 'errors'.",
            new JsonObject { ["errors"] = new JsonObject { ["lead"] = new JsonArray("'ba-atlantis' is not a known administration code (see GET /api/catalog).") } }));
    }

    private static Type? RequestType(OperationFilterContext context) =>
        context.ApiDescription.ParameterDescriptions.FirstOrDefault(p => p.Source == BindingSource.Body)?.Type
        ?? context.MethodInfo?.GetParameters().Select(p => p.ParameterType).FirstOrDefault(t => Sample(t) is not null);

    private static object? Sample(Type requestType) =>
        SampleCommands.ByRequestType.TryGetValue(requestType, out var sample) ? sample
        : requestType == typeof(CreateApiKey) ? CreateApiKey.Example
        : requestType == typeof(CommandBatch) ? CommandBatch.Example
        : requestType == typeof(CreateSubscription) ? CreateSubscription.Example
        : requestType == typeof(FindSubject) ? FindSubject.Example
        : null;

    private static OpenApiParameter Header(string name, string description, string example, int maxLength) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = false,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = maxLength },
        Example = JsonValue.Create(example),
    };

    private static JsonObject Problem(int status, string type, string title, string detail, JsonObject extensions,
        string instance = "/api/measures/0193a000-0000-7000-8000-000000000001/start-pilot")
    {
        var problem = new JsonObject
        {
            ["type"] = Problems.TypeBase + type,
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["instance"] = instance,
        };
        foreach (var (key, value) in extensions.ToList())
        {
            extensions.Remove(key);
            problem[key] = value;
        }
        problem["traceId"] = "00-c0ffee00c0ffee00c0ffee00c0ffee00-0123456789abcdef-01";
        problem["correlationId"] = "c0ffee00c0ffee00c0ffee00c0ffee00";
        return problem;
    }

    private static void Example(OpenApiOperation operation, string status, JsonObject example, string mediaType = Problems.ContentType)
    {
        if (operation.Responses?.TryGetValue(status, out var response) == true && response.Content?.TryGetValue(mediaType, out var found) == true
            && found is OpenApiMediaType media)
        {
            media.Example = example;
        }
    }
}
