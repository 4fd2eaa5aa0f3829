using System.Net;
using System.Security.Cryptography;
using GemeinsamDigital.Audit;
using GemeinsamDigital.Domain.Measures;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Audit;

/// <summary>The transparency log as an auditor uses it: signed tree heads, proofs, exports with proofs, all checked offline.</summary>
public class TransparencyLogTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.Client;

    [Fact]
    public async Task Tree_heads_proofs_and_exports_verify_offline_and_a_newer_head_extends_an_older_one()
    {
        var first = await new Scenario(_client).Propose(SampleCommands.Propose());
        await first.Step(SampleCommands.UnderstandProblem());
        await new Scenario(_client).Propose(SampleCommands.Propose());
        await api.WaitForLog();
        using var key = await api.AnonymousClient().TreeHeadKey();

        var older = await _client.SignTreeHead();
        older.TreeSize.ShouldBe(await api.Scalar<long>("select count(*) from gd.mt_events where headers ? 'hash'"));
        TreeHeads.CheckSignature(older, key).ShouldBeNull();
        TreeHeads.CheckSubtrees(older).ShouldBeNull();
        var again = await _client.SignTreeHead();
        (again.TreeSize, again.Signature).ShouldBe((older.TreeSize, older.Signature), "the same size is not signed twice");

        // Inclusion of one event, from what anyone can fetch.
        var sequence = await api.Scalar<long>("select seq_id from gd.mt_events where stream_id = @id and version = 2", ("id", first.Id));
        var inclusion = await (await api.AnonymousClient().GetAsync($"/api/audit/proofs/inclusion?sequence={sequence}&treeSize={older.TreeSize}")).Read<InclusionProofView>();
        inclusion.EventHash.ShouldBe(await api.Scalar<string>("select headers ->> 'hash' from gd.mt_events where seq_id = @s", ("s", sequence)));
        MerkleTree.VerifyInclusion(inclusion.LeafIndex, older.TreeSize, MerkleTree.EventLeaf(inclusion.EventHash),
            [.. inclusion.Path.Select(Convert.FromHexString)], Convert.FromHexString(older.RootHash)).ShouldBeTrue();
        inclusion.Path.Sum(p => p.Length).ShouldBeLessThan(2048);

        await first.Step(SampleCommands.DefineGoals());
        await first.Step(SampleCommands.Mandate());
        await api.WaitForLog();
        var newer = await _client.SignTreeHead();
        newer.TreeSize.ShouldBeGreaterThan(older.TreeSize);
        var withProof = await (await api.AnonymousClient().GetAsync($"/api/audit/tree-head?treeSize={newer.TreeSize}&consistencyFrom={older.TreeSize}")).Read<TreeHead>();
        TreeHeads.CheckConsistency(older, withProof, withProof.Consistency!).Consistent.ShouldBeTrue();
        var latest = await (await api.AnonymousClient().GetAsync($"/api/audit/tree-heads/latest?consistencyFrom={older.TreeSize}")).Read<TreeHead>();
        latest.TreeSize.ShouldBe(newer.TreeSize);
        var list = await (await api.AnonymousClient().GetAsync("/api/audit/tree-heads?limit=1")).Read<ItemList<TreeHead>>();
        list.Items.ShouldHaveSingleItem().TreeSize.ShouldBe(newer.TreeSize);
        list.Next.ShouldNotBeNull().ShouldEndWith($"before={newer.TreeSize}&limit=1");

        // The verify command, offline, from files.
        var directory = TransparencySupport.NewTempDirectory();
        var keyFile = TransparencySupport.WriteTemp(directory, "key.pem", TreeHeads.ExportPublicKey(key));
        var (code, output) = TransparencySupport.RunVerify("verify-consistency",
            TransparencySupport.WriteTemp(directory, "old.json", older), TransparencySupport.WriteTemp(directory, "new.json", withProof), "--public-key", keyFile);
        (code, output).ShouldBe((0, output));
        output.ShouldStartWith("CONSISTENT");

        // The measure export proves its last event against a signed head.
        var export = await (await _client.GetAsync($"/api/measures/{first.Id}/export")).Content.ReadAsByteArrayAsync();
        var report = AuditBundle.Verify(export, null, key);
        report.Valid.ShouldBeTrue(report.Problem);
        report.Proof.ShouldNotBeNull().TreeSize.ShouldBeGreaterThanOrEqualTo(newer.TreeSize);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        AuditBundle.Verify(export, null, stranger).Problem.ShouldNotBeNull().ShouldContain("not by the trusted key");
        (code, output) = TransparencySupport.RunVerify(TransparencySupport.WriteTemp(directory, "measure.ndjson", System.Text.Encoding.UTF8.GetString(export)), "--public-key", keyFile);
        (code, output).ShouldBe((0, output));
        output.ShouldContain("included in the signed tree head");

        // The whole log against the older head.
        var log = await (await _client.GetAsync($"/api/audit/log?treeSize={older.TreeSize}")).Content.ReadAsByteArrayAsync();
        LogExport.Verify(LogExport.Read(log), older, key).Valid.ShouldBeTrue();
        Directory.Delete(directory, recursive: true);
    }

    [Theory]
    [InlineData("/api/audit/proofs/inclusion", HttpStatusCode.BadRequest)]
    [InlineData("/api/audit/proofs/inclusion?sequence=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/audit/proofs/inclusion?sequence=1&treeSize=999999", HttpStatusCode.BadRequest)]
    [InlineData("/api/audit/proofs/inclusion?sequence=999999&treeSize=1", HttpStatusCode.NotFound)]
    [InlineData("/api/audit/proofs/consistency", HttpStatusCode.BadRequest)]
    [InlineData("/api/audit/proofs/consistency?from=2&to=1", HttpStatusCode.BadRequest)]
    [InlineData("/api/audit/proofs/consistency?from=1&to=999999", HttpStatusCode.BadRequest)]
    [InlineData("/api/audit/tree-head?treeSize=999999", HttpStatusCode.NotFound)]
    [InlineData("/api/audit/tree-head", HttpStatusCode.BadRequest)]
    [InlineData("/api/audit/tree-heads?limit=0", HttpStatusCode.BadRequest)]
    public async Task Bad_proof_requests_are_problems(string url, HttpStatusCode status)
    {
        await new Scenario(_client).Propose(SampleCommands.Propose());
        await api.WaitForLog();
        var response = await api.AnonymousClient().GetAsync(url);
        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task Signing_and_the_whole_log_need_an_auditor()
    {
        (await api.AnonymousClient().PostAsync("/api/audit/tree-heads", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await api.AnonymousClient().GetAsync("/api/audit/log")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await api.ClientFor(Domain.Catalog.StrategyCatalog.SenateChancellery, Roles.DashboardReader).PostAsync("/api/audit/tree-heads", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
