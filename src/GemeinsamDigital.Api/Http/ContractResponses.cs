using System.Globalization;
using System.Text.Json.Nodes;
using GemeinsamDigital.Domain.Measures;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace GemeinsamDigital.Api.Http;

/// <summary>
/// Documents every answer an operation can give as the service gives it: the error statuses that
/// apply to it, each as a typed problem (application/problem+json) with the extension members of
/// that status (<see cref="Problems"/>), and the headers each answer carries. Runs after the other
/// operation filters, so it sees every parameter and response they added.
/// </summary>
public sealed class ContractResponses(ContractSchemas schemas) : IOperationFilter, IDocumentFilter
{
    public const string RateLimitPolicyHeader = "RateLimit-Policy";
    public const string RateLimitHeader = "RateLimit";

    /// <summary>Reads that answer with the stream's version as ETag (and 304 to a matching If-None-Match).</summary>
    private static readonly HashSet<string> _versionedReads = ["getMeasure", "getMeasureEvents", "getRevisionPhase", "getRevisionSnapshot"];

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var description = context.ApiDescription;
        var metadata = description.ActionDescriptor.EndpointMetadata ?? [];
        var command = metadata.OfType<IdempotentCommandAttribute>().Any();
        var hasPath = description.ParameterDescriptions.Any(p => p.Source == BindingSource.Path);
        var hasBody = operation.RequestBody is not null;
        var responses = operation.Responses ??= [];
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.Schema is OpenApiSchema schema)
            {
                parameter.Schema = ParameterSchema(parameter.Name, parameter.In, schema, description.RelativePath);
            }
        }

        // Wolverine names an operation without a description after its route ("GET_api_catalog").
        if (string.IsNullOrEmpty(operation.Description) || !operation.Description.Contains(' ', StringComparison.Ordinal))
        {
            operation.Description = operation.Summary;
        }

        // Which errors apply: 400 everywhere (an unknown query parameter is refused on every endpoint);
        // a bad credential is refused on public reads too (401).
        ProblemResponses.Add(operation, 400, "The request is invalid: 'errors' names each member, parameter or header at fault (unknown query parameters too).");
        ProblemResponses.Add(operation, 401, metadata.OfType<IAllowAnonymous>().Any()
            ? "The credentials sent are not valid (a public read needs none, but refuses bad ones)."
            : "No or invalid credentials.");
        if (hasPath)
        {
            ProblemResponses.Add(operation, 404, "No such resource (also for an id that is not a UUID).");
        }
        else
        {
            // Only an unknown address answers 404, and that is no operation of this document.
            responses.Remove("404");
        }
        ProblemResponses.Add(operation, 414, "Path and query are longer than the service accepts.");
        if (hasBody)
        {
            ProblemResponses.Add(operation, 415, "The body is not in a media type this operation takes (application/json unless it says otherwise).");
        }
        ProblemResponses.Add(operation, 500, "The service failed; the problem's traceId identifies the failure in the service's log.");

        foreach (var (key, response) in responses.ToList())
        {
            if (response is not OpenApiResponse answer || !int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                continue;
            }
            if (status >= 400)
            {
                TypeProblem(answer, status, context);
            }
            foreach (var media in answer.Content?.Where(c => c.Key.StartsWith("text/csv", StringComparison.Ordinal)).Select(c => c.Value).OfType<OpenApiMediaType>() ?? [])
            {
                media.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "CSV (RFC 4180), one header line." };
            }
            AddHeaders(answer, status, operation.OperationId, command, hasPath, description.RelativePath);
        }
    }

    /// <summary>
    /// What the endpoints accept in each query and path parameter, from the constants and lists
    /// their parsing checks against (a parameter read as a string but parsed as a number is documented as the number).
    /// </summary>
    private OpenApiSchema ParameterSchema(string? name, ParameterLocation? location, OpenApiSchema given, string? path)
    {
        if (location is not (ParameterLocation.Query or ParameterLocation.Path))
        {
            return given;
        }
        OpenApiSchema Codes(IEnumerable<string> codes) => new() { Type = JsonSchemaType.String, Enum = [.. codes.Select(c => (JsonNode)JsonValue.Create(c))] };
        static OpenApiSchema Number(long min, long max, string format = "int32") => new()
        {
            Type = JsonSchemaType.Integer, Format = format,
            Minimum = min.ToString(CultureInfo.InvariantCulture), Maximum = max.ToString(CultureInfo.InvariantCulture),
        };
        static OpenApiSchema Text(int max, string? format = null, string? pattern = null) =>
            new() { Type = JsonSchemaType.String, MaxLength = max, Format = format, Pattern = pattern };
        var schema = name switch
        {
            _ when given.Format == "uuid" => given,
            "measureId" or "programme" => Text(36, "uuid"),
            "page" => Number(1, MeasureQueries.MaxPage),
            "pageSize" => Number(1, MeasureQueries.MaxPageSize),
            "limit" when path == "api/changes" => Number(1, ChangeFeedEndpoint.MaxLimit),
            "limit" when path == "api/audit/tree-heads" => Number(1, TransparencyEndpoints.MaxLimit),
            // Tree sizes and global sequences of the transparency log.
            "from" or "to" when path == "api/audit/proofs/consistency" => Number(1, long.MaxValue, "int64"),
            "before" or "consistencyFrom" or "sequence" or "treeSize" => Number(1, long.MaxValue, "int64"),
            "limit" => Number(1, HistoryEndpoint.MaxLimit),
            "after" => Number(0, long.MaxValue, "int64"),
            "wait" => Number(0, ChangeFeedEndpoint.MaxWait),
            "eventType" => new OpenApiSchema { Type = JsonSchemaType.Array, MaxItems = ChangeFilters.MaxEventTypes, Items = Codes(ChangeLog.MeasureEventNames) },
            "status" => Codes(DeliveryStatus.All),
            "delivery" => Text(WebhookDeliveries.MaxIdLength, pattern: "^msg_[0-9a-f]{32}_[0-9]{1,19}$"),
            "fromVersion" or "version" => Number(1, long.MaxValue, "int64"),
            "inactiveDays" => Number(1, DashboardEndpoints.MaxInactiveDays),
            "timeoutSeconds" => Number(1, ProjectionAdminEndpoints.MaxTimeoutSeconds),
            "from" or "to" => Text(10, "date"),
            // A date (the dashboards: 00:00 UTC of that day) or an instant with offset (ISO 8601).
            AsOf.Field or "changedSince" => Text(35, pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ].+)?$"),
            "changedAfterSequence" => Number(0, long.MaxValue, "int64"),
            "externalId" => Text(ExternalIds.MaxLength),
            "lead" => Codes(Domain.Catalog.StrategyCatalog.Administrations.Select(a => a.Code)),
            "district" => Codes(Domain.Catalog.StrategyCatalog.Districts.Select(a => a.Code)),
            "participating" => Codes(Domain.Catalog.StrategyCatalog.Administrations.Select(a => a.Code)),
            "principle" => Codes(Domain.Catalog.StrategyCatalog.GuidingPrinciples.Select(a => a.Code)),
            "type" => Codes(Domain.Catalog.StrategyCatalog.MeasureTypes.Select(a => a.Code)),
            "perspective" => Codes(Domain.Catalog.StrategyCatalog.FuturePerspectives.Select(a => a.Code)),
            // The strategy office adds plans to the catalogue: a code, not a fixed list.
            "plan" => Text(FieldErrors.MaxCode),
            "stage" => Codes(schemas.WireNames(typeof(MeasureStage))),
            "sort" => Codes(MeasureSearch.SortKeys.SelectMany(k => (string[])[k, "-" + k])),
            "q" => Text(MeasureSearch.MaxQuery),
            "outcome" => Codes(ImportOutcomes.All),
            "checkpoint" => Text(GemeinsamDigital.Audit.Checkpoint.TokenPrefix.Length + 1 + 19 + 1 + 64, pattern: $"^{GemeinsamDigital.Audit.Checkpoint.TokenPrefix}:[0-9]{{1,19}}:[0-9a-f]{{64}}$"),
            "name" => Text(FieldErrors.MaxCode),
            _ => given,
        };
        if (schema != given)
        {
            schema.Description ??= given.Description;
        }
        return schema;
    }

    private static void TypeProblem(OpenApiResponse answer, int status, OperationFilterContext context)
    {
        var example = answer.Content is { } content && content.TryGetValue(Problems.ContentType, out var media) ? (media as OpenApiMediaType)?.Example : null;
        answer.Content = new Dictionary<string, IOpenApiMediaType>
        {
            [Problems.ContentType] = new OpenApiMediaType { Schema = ProblemSchemas.For(status, context), Example = example },
        };
    }

    private static void AddHeaders(OpenApiResponse answer, int status, string? operationId, bool command, bool hasPath, string? path)
    {
        var headers = answer.Headers ??= new Dictionary<string, IOpenApiHeader>();
        // Every answer, success or not, announces the caller's rate limit.
        headers[RateLimitPolicyHeader] = Header("The rate limit policy that applies to this client (IETF httpapi RateLimit headers), e.g. `\"default\";q=600;w=60`.", 200);
        headers[RateLimitHeader] = Header("What is left of this client's limit in the current window, e.g. `\"default\";r=599;t=42`.", 200);
        if (status is 429 or 503)
        {
            headers["Retry-After"] = Header("Seconds to wait before retrying.", 10, JsonSchemaType.Integer);
        }
        if (status == 401)
        {
            headers["WWW-Authenticate"] = Header("The authentication schemes the service accepts (API key header, bearer token).", 500);
        }
        if (status >= 400 || command)
        {
            headers[CommandMetadata.CorrelationHttpHeader] = Header("The correlation id of this request: as sent in X-Correlation-Id, or one the service chose.", CommandMetadata.MaxCorrelationId);
        }
        var success = status is >= 200 and < 300;
        // A command on one stream (its path names it, or it starts one: 201) answers the stream's version;
        // a batch answers each item's version in its body.
        if ((command && success && (hasPath || status == 201)) || (operationId is not null && _versionedReads.Contains(operationId) && (success || status == 304)))
        {
            headers["ETag"] = Header("The stream's version after this answer, for If-Match (commands) and If-None-Match (reads).", ETags.MaxLength);
        }
        if (command && success)
        {
            headers[IdempotencyRequest.ReplayedHeader] = Header("`true` when this is the stored answer to an earlier request with the same Idempotency-Key (nothing was recorded again).", 5);
        }
        if (status == 201)
        {
            headers["Location"] = Header("The address of the stream this command started.", 200);
        }
        // A 304 carries the headers of the 200 it stands for.
        var read = success || status == 304;
        if (read && (path?.StartsWith("api/dashboard/", StringComparison.Ordinal) == true || operationId == "getRevisionSnapshot"))
        {
            headers[DashboardResponder.SequenceHeader] = Header("The global event sequence the figures reflect.", 20, JsonSchemaType.Integer);
        }
        if (status == 200 && operationId == "getMeasure")
        {
            headers[IntegrityNotice.Header] = Header(
                "Only when the measure's last integrity check failed: `broken; version=N`; the answer then also carries the member `integrity` "
                + "(status, checkedAt, checkedBy, firstMismatch; see docs/audit.md).", 40);
        }
        if (read && operationId == "listMeasures")
        {
            headers[DashboardResponder.SequenceHeader] = Header(
                "With changedAfterSequence only: the cursor to send as changedAfterSequence next (every change the filters select up to it is in this page or an earlier one).",
                20, JsonSchemaType.Integer);
        }
        if (read && path?.StartsWith("api/dashboard/", StringComparison.Ordinal) == true)
        {
            headers[DashboardResponder.LagHeader] = Header("How many events the figures are behind the event store.", 20, JsonSchemaType.Integer);
            headers[DashboardResponder.BasisHeader] = Header("What the figures are based on (live projection, or a point in time).", 100);
        }
    }

    /// <summary>A uuid, a date or an instant is never longer than its format allows: says so where a string has such a format.</summary>
    private static void BoundFormats(IOpenApiSchema? schema)
    {
        if (schema is not OpenApiSchema found)
        {
            return;
        }
        if (found.Type?.HasFlag(JsonSchemaType.String) == true && found.MaxLength is null)
        {
            found.MaxLength = found.Format switch
            {
                "uuid" => 36,
                "date" => 10,
                // 2024-05-01T12:00:00.1234567+01:00
                "date-time" => 33,
                _ => null,
            };
        }
        foreach (var nested in (found.Properties?.Values ?? []).Concat(found.AllOf ?? []).Append(found.Items).Append(found.AdditionalProperties))
        {
            BoundFormats(nested);
        }
    }

    private static OpenApiHeader Header(string description, int maxLength, JsonSchemaType type = JsonSchemaType.String) => new()
    {
        Description = description,
        Schema = type == JsonSchemaType.Integer
            ? new OpenApiSchema { Type = type, Format = "int64", Minimum = "0", Maximum = long.MaxValue.ToString(CultureInfo.InvariantCulture) }
            : new OpenApiSchema { Type = type, MaxLength = maxLength },
    };

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        document.Info.Contact ??= new OpenApiContact { Name = "Gemeinsam Digital: Berlin", Url = new Uri("https://gemeinsamdigital.berlin.de") };
        document.Servers ??= [];
        foreach (var schema in document.Components?.Schemas?.Values ?? [])
        {
            BoundFormats(schema);
        }
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            foreach (var parameter in operation.Parameters ?? [])
            {
                BoundFormats(parameter.Schema);
            }
            foreach (var media in operation.RequestBody?.Content?.Values.AsEnumerable() ?? [])
            {
                BoundFormats(media.Schema);
            }
        }
        // The framework's problem schemas are replaced by the typed ones everywhere.
        foreach (var replaced in (string[])["ProblemDetails", "HttpValidationProblemDetails"])
        {
            document.Components?.Schemas?.Remove(replaced);
        }
    }
}

/// <summary>The problem schemas, one per status, with the extension members <see cref="Problems"/> writes at that status.</summary>
public static class ProblemSchemas
{
    public const string Base = "Problem";

    public static IOpenApiSchema For(int status, OperationFilterContext context)
    {
        var (name, description, members, required) = status switch
        {
            400 => ("ValidationProblem", "The request is invalid; 'errors' names each member, parameter or header at fault.", Errors(), (string[])[]),
            403 => ("ForbiddenProblem", "Refused for the caller's role, administration or position in the project team.", new Dictionary<string, IOpenApiSchema>
            {
                ["command"] = Text("The command refused (command-not-permitted)."),
                ["position"] = Text("The caller's position in the measure's project team (command-not-permitted)."),
                ["allowedPositions"] = Texts("The positions that may run the command (command-not-permitted); empty: the strategy office only."),
            }, []),
            406 => ("NotAcceptableProblem", "No representation the request accepts.", new Dictionary<string, IOpenApiSchema>
            {
                ["supported"] = Texts("The media types this resource is available in."),
                ["csvEndpoints"] = Texts("The endpoints that answer CSV (when CSV was asked of one that answers no table)."),
            }, []),
            409 => ("ConflictProblem", "Not possible in the resource's current state.", new Dictionary<string, IOpenApiSchema>
            {
                ["currentStage"] = Stage(context),
                ["currentStageLabel"] = Text("The current stage's German label (transition-not-allowed)."),
                ["command"] = Text("The command refused (transition-not-allowed, revision-phase-closed)."),
                ["allowedCommands"] = Texts("The commands allowed in the current stage (transition-not-allowed)."),
                ["openPhaseId"] = Id("The revision phase that is open (revision-phase-already-open)."),
                ["phaseId"] = Id("The revision phase concerned (revision-phase-closed, revision-phase-open)."),
                ["externalId"] = Text("The external id that is taken (external-id-taken)."),
                ["lead"] = Text("The lead administration whose measure carries it (external-id-taken)."),
                ["measureId"] = Id("The measure that carries it (external-id-taken)."),
                ["measure"] = Text("Where that measure is read (external-id-taken)."),
            }, []),
            412 => ("StaleVersionProblem", "If-Match names a version that is no longer the current one.", new Dictionary<string, IOpenApiSchema>
            {
                ["expectedVersion"] = Version("The version If-Match named."),
                ["currentVersion"] = Version("The stream's current version: read it again and retry."),
            }, ["expectedVersion", "currentVersion"]),
            413 or 414 => ("LimitProblem", "The request is larger than the service accepts.", new Dictionary<string, IOpenApiSchema>
            {
                ["limit"] = Version("The limit: bytes of body (413) or characters of path and query (414)."),
            }, ["limit"]),
            422 => ("RuleProblem", "The request breaks a rule ('errors' names the member), or reuses an Idempotency-Key for another request.", Errors(), []),
            429 or 503 => ("RetryProblem", "Retry later: after 'retryAfter' seconds (also in Retry-After).", new Dictionary<string, IOpenApiSchema>
            {
                ["retryAfter"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = int.MaxValue.ToString(CultureInfo.InvariantCulture), Description = "Seconds to wait." },
            }, ["retryAfter"]),
            _ => (Base, "", [], []),
        };
        var repository = context.SchemaRepository;
        if (!repository.Schemas.ContainsKey(Base))
        {
            repository.AddDefinition(Base, BaseSchema());
        }
        if (name != Base && !repository.Schemas.ContainsKey(name))
        {
            repository.AddDefinition(name, new OpenApiSchema
            {
                Description = description,
                AllOf =
                [
                    new OpenApiSchemaReference(Base, context.Document),
                    new OpenApiSchema { Type = JsonSchemaType.Object, Properties = members, Required = new HashSet<string>(required) },
                ],
            });
        }
        return new OpenApiSchemaReference(name, context.Document);
    }

    /// <summary>RFC 9457 members every problem of this service has, plus the trace and correlation ids.</summary>
    private static OpenApiSchema BaseSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 9457 problem. Further members depend on the status (see the typed problems).",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri", Description = "Identifies the kind of problem: " + Problems.TypeBase + "…" },
            ["title"] = Text("A short summary of the kind of problem."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599", Description = "The HTTP status." },
            ["detail"] = Text("What went wrong with this request."),
            ["instance"] = Text("The path of the request."),
            ["traceId"] = Text("W3C trace id of the request, to find it in the service's log."),
            ["correlationId"] = Text("The correlation id of the request (X-Correlation-Id)."),
        },
        Required = new HashSet<string> { "type", "title", "status", "detail", "instance", "traceId", "correlationId" },
    };

    private static Dictionary<string, IOpenApiSchema> Errors() => new()
    {
        ["errors"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Messages per member (JSON path, e.g. `milestones[0].due`), parameter or header.",
            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Text("A message.") },
        },
    };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema Texts(string description) => new() { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String }, Description = description };

    private static OpenApiSchema Id(string description) => new() { Type = JsonSchemaType.String, Format = "uuid", Description = description };

    private static OpenApiSchema Version(string description) =>
        new() { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0", Maximum = long.MaxValue.ToString(CultureInfo.InvariantCulture), Description = description };

    private static IOpenApiSchema Stage(OperationFilterContext context) =>
        new OpenApiSchema
        {
            AllOf = [context.SchemaGenerator.GenerateSchema(typeof(MeasureStage), context.SchemaRepository)],
            Description = "The measure's current stage (transition-not-allowed).",
        };
}
