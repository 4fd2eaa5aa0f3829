using System.Security.Cryptography;
using System.Text.Json;
using GemeinsamDigital.Audit;
using GemeinsamDigital.Verify;
using GemeinsamDigital.Api.Tests.Infrastructure;

namespace GemeinsamDigital.Api.Tests.Audit;

public static class TransparencySupport
{
    /// <summary>Waits until the transparency log has taken in every chained event.</summary>
    public static async Task WaitForLog(this ApiFixture api)
    {
        for (var i = 0; i < 300; i++)
        {
            // The subscription's progress, not a count: tests that delete events leave leaves without events.
            var logged = await api.Scalar<long>("select coalesce((select last_seq_id from gd.mt_event_progression where name = 'merkle:All'), 0)");
            var newest = await api.Scalar<long>("select coalesce(max(seq_id), 0) from gd.mt_events");
            if (logged >= newest)
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The transparency log did not take in every event within 30 s.");
    }

    public static async Task<ECDsa> TreeHeadKey(this HttpClient client)
    {
        var view = await (await client.GetAsync("/.well-known/gemeinsamdigital/tree-head-key")).Read<TreeHeadKeyView>();
        return TreeHeads.ImportPublicKey(view.PublicKey);
    }

    public static async Task<TreeHead> SignTreeHead(this HttpClient client)
    {
        var response = await client.PostAsync("/api/audit/tree-heads", null);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Read<TreeHead>();
    }

    /// <summary>Runs the offline verify command on files in a temporary directory.</summary>
    public static (int Code, string Output) RunVerify(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = VerifyCommand.Run(args, () => Stream.Null, output, error);
        return (code, output + error.ToString());
    }

    public static string WriteTemp(string directory, string name, object value)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, value as string ?? JsonSerializer.Serialize(value, TreeHeads.Json));
        return path;
    }

    public static string NewTempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "gd-audit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
