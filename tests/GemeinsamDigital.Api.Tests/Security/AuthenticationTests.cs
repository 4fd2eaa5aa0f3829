using System.Net;
using System.Security.Cryptography;
using GemeinsamDigital.Domain.Measures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Security;

public class AuthenticationTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private async Task<Guid> Proposed() =>
        (await (await api.Client.PostJson("/api/measures", SampleCommands.Propose())).Read<CommandAccepted>()).MeasureId;

    [Fact]
    public async Task Anonymous_callers_read_public_state_but_no_history_and_write_nothing()
    {
        var id = await Proposed();
        var anonymous = api.AnonymousClient();
        (await anonymous.GetAsync($"/api/measures/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anonymous.GetAsync("/api/measures")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anonymous.GetAsync("/api/catalog")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anonymous.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var history = await anonymous.GetAsync($"/api/measures/{id}/events");
        await history.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        history.Headers.WwwAuthenticate.ToString().ShouldContain("X-Api-Key");
        history.Headers.WwwAuthenticate.ToString().ShouldContain("Bearer");

        await (await anonymous.PostJson($"/api/measures/{id}/understand-problem", SampleCommands.UnderstandProblem()))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await anonymous.PostJson("/api/measures", SampleCommands.Propose()))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        (await (await api.Client.GetAsync($"/api/measures/{id}")).Read<MeasureState>()).Version.ShouldBe(1);
    }

    [Fact]
    public async Task Invalid_tokens_are_401_even_on_public_endpoints()
    {
        var wrongKey = api.Tokens.Create("mallory", "skzl", [Roles.StrategyOffice], signingKey: RandomNumberGenerator.GetBytes(32));
        var wrongAudience = api.Tokens.Create("mallory", "skzl", [Roles.StrategyOffice], audience: "another-api");
        var wrongIssuer = api.Tokens.Create("mallory", "skzl", [Roles.StrategyOffice], issuer: "https://elsewhere.invalid");
        var expired = api.Tokens.Create("mallory", "skzl", [Roles.StrategyOffice], lifetime: TimeSpan.FromHours(-1));
        foreach (var token in new[] { wrongKey, wrongAudience, wrongIssuer, expired, "not-a-jwt" })
        {
            await (await api.WithBearer(token).GetAsync("/api/catalog")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");
        }
        await (await api.WithApiKey("gd_unknown").GetAsync("/api/catalog")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");
    }

    [Fact]
    public async Task Commands_record_the_token_subject_and_administration_as_metadata()
    {
        var id = await Proposed();
        var editor = api.WithBearer(api.Tokens.Create("clerk-4711", "ba-charlottenburg-wilmersdorf", [Roles.Editor]));
        (await editor.PostJson($"/api/measures/{id}/understand-problem", SampleCommands.UnderstandProblem())).StatusCode.ShouldBe(HttpStatusCode.OK);
        var events = (await (await api.Client.GetAsync($"/api/measures/{id}/events")).Read<ItemList<MeasureEventView>>()).Items.ToList();
        // Events carry a pseudonym; history readers see the subject behind it.
        events[1].Actor.ShouldNotBeNull().ShouldStartWith(SubjectDirectory.Prefix);
        events[1].ActorName.ShouldBe("clerk-4711");
        events[1].Administration.ShouldBe("ba-charlottenburg-wilmersdorf");
    }

    [Fact]
    public async Task Strategy_office_creates_lists_and_revokes_api_keys_stored_only_as_hashes()
    {
        var created = await api.Client.PostJson("/api/admin/api-keys", new CreateApiKey("Fachverfahren Spandau", "ba-spandau", [Roles.Editor]));
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var key = await created.Read<ApiKeyView>();
        key.Key.ShouldNotBeNull().ShouldStartWith(ApiKeyStore.Prefix);
        created.Headers.Location!.ToString().ShouldBe($"/api/admin/api-keys/{key.Id}");

        // The key works, for its administration and role only.
        var client = api.WithApiKey(key.Key);
        var own = await client.PostJson("/api/measures", SampleCommands.Propose("ba-spandau", "Parksensoren Spandau"));
        own.StatusCode.ShouldBe(HttpStatusCode.Created);
        var measure = await own.Read<CommandAccepted>();
        await (await client.PostJson("/api/measures", SampleCommands.Propose("ba-mitte"))).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "proposal-forbidden");
        var events = (await (await api.Client.GetAsync($"/api/measures/{measure.MeasureId}/events")).Read<ItemList<MeasureEventView>>()).Items.ToList();
        events[0].Actor.ShouldNotBeNull().ShouldStartWith(SubjectDirectory.Prefix);
        events[0].ActorName.ShouldBe("Fachverfahren Spandau");
        events[0].Administration.ShouldBe("ba-spandau");

        // Neither the list nor the database holds the secret; the database holds its SHA-256.
        var listed = await (await api.Client.GetAsync("/api/admin/api-keys")).Content.ReadAsStringAsync();
        listed.ShouldContain(key.Id.ToString());
        listed.ShouldNotContain(key.Key);
        await using (var connection = new NpgsqlConnection(api.ConnectionString))
        {
            await connection.OpenAsync();
            await using var dump = new NpgsqlCommand("select data::text from gd.mt_doc_apikeyrecord", connection);
            var rows = (string)(await dump.ExecuteScalarAsync())!;
            rows.ShouldNotContain(key.Key);
            rows.ShouldContain(ApiKeyStore.Hash(key.Key));
        }

        var revoked = await api.Client.PostAsync($"/api/admin/api-keys/{key.Id}/revoke", null);
        revoked.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await revoked.Read<ApiKeyView>()).RevokedAt.ShouldNotBeNull();
        await (await client.GetAsync("/api/catalog")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");
        (await (await api.Client.GetAsync($"/api/admin/api-keys/{key.Id}")).Read<ApiKeyView>()).RevokedAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task Only_the_strategy_office_manages_api_keys()
    {
        var request = new CreateApiKey("Versuch", "ba-mitte", [Roles.StrategyOffice]);
        await (await api.AnonymousClient().PostJson("/api/admin/api-keys", request)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        foreach (var role in new[] { Roles.Editor, Roles.Auditor, Roles.DashboardReader })
        {
            var client = api.ClientFor("skzl", role);
            await (await client.PostJson("/api/admin/api-keys", request)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
            await (await client.GetAsync("/api/admin/api-keys")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }
        var invalid = await api.Client.PostJson("/api/admin/api-keys", new CreateApiKey("", "ba-atlantis", ["janitor"]));
        var errors = (await invalid.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        errors.TryGetProperty("name", out _).ShouldBeTrue();
        errors.TryGetProperty("administration", out _).ShouldBeTrue();
        errors.TryGetProperty("roles[0]", out _).ShouldBeTrue();
        await (await api.Client.PostAsync($"/api/admin/api-keys/{Guid.NewGuid()}/revoke", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Development_keys_are_honoured_in_development_only()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:DevelopmentKeys:0:Key"] = "dev-key",
            ["Auth:DevelopmentKeys:0:Administration"] = "ba-mitte",
            ["Auth:DevelopmentKeys:0:Roles:0"] = Roles.Editor,
        }).Build();
        ApiKeyStore Store(string environment) => new(api.Store, TimeProvider.System, configuration,
            new HostingEnvironment { EnvironmentName = environment }, NullLogger<ApiKeyStore>.Instance);

        var development = await Store(Environments.Development).FindAsync("dev-key", CancellationToken.None);
        development.ShouldNotBeNull().Administration.ShouldBe("ba-mitte");
        development.Roles.ShouldBe([Roles.Editor]);
        (await Store("Testing").FindAsync("dev-key", CancellationToken.None)).ShouldBeNull();
        (await Store(Environments.Production).FindAsync("dev-key", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task The_command_line_creates_and_revokes_keys_in_the_service_database()
    {
        var (exit, key, errors) = await ApiProcess.RunCliAsync(api.ConnectionString, "apikey", "create", "--name", "Erster Schlüssel", "--administration", "skzl", "--role", "strategy-office");
        exit.ShouldBe(0, errors);
        var client = api.WithApiKey(key.Trim());
        (await client.GetAsync("/api/admin/api-keys")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var id = (await (await client.GetAsync("/api/admin/api-keys")).Read<ItemList<ApiKeyView>>()).Items.ToList().Single(k => k.Name == "Erster Schlüssel").Id;
        (exit, _, errors) = await ApiProcess.RunCliAsync(api.ConnectionString, "apikey", "revoke", id.ToString());
        exit.ShouldBe(0, errors);
        // The service remembers the key it just validated; the revocation by another process reaches
        // it through PostgreSQL (NOTIFY) within moments, far sooner than the key would be forgotten.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        HttpResponseMessage after;
        while ((after = await client.GetAsync("/api/catalog")).StatusCode != HttpStatusCode.Unauthorized && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        ApiKeyStore.RememberFor.ShouldBeGreaterThan(TimeSpan.FromSeconds(10));
        await after.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");

        (exit, _, errors) = await ApiProcess.RunCliAsync(api.ConnectionString, "apikey", "create", "--name", "x", "--administration", "ba-atlantis", "--role", "janitor");
        exit.ShouldBe(1);
        errors.ShouldContain("administration");
    }
}
