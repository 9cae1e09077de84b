using System.Net;
using System.Text.Json.Nodes;

namespace ValueLedger.Api.Tests.Audit;

/// <summary>ops/verify's program on files exactly as the routes give them: it passes an untouched export and names the tampered event.</summary>
public sealed class when_an_export_is_verified_offline(AppFixture app) : CheckpointContext(app)
{
    private string _folder = null!;
    private Guid _account;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _folder = Directory.CreateTempSubdirectory("valueledger-verify-").FullName;
        (_account, _, _) = await BuildAccountAsync();
    }

    private async Task<string> DownloadAsync(string url, string name)
    {
        var response = await Auditor.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine(_folder, name);
        await File.WriteAllTextAsync(path, await response.Content.ReadAsStringAsync());
        return path;
    }

    private async Task<(int Code, string Output, string History, string Checkpoint, string Key)> ExportAndVerifyAsync(Func<string, string>? edit = null)
    {
        var key = await DownloadAsync("/api/audit/public-key", "public-key.json");
        var checkpoint = await DownloadAsync("/api/audit/checkpoints/latest", "checkpoint.json");
        var history = await DownloadAsync($"/api/accounts/{_account}/history?format=jsonl", "history.jsonl");
        if (edit is not null) await File.WriteAllTextAsync(history, edit(await File.ReadAllTextAsync(history)));
        return Run(history, checkpoint, key);
    }

    private static (int, string, string, string, string) Run(string history, string checkpoint, string key, params string[] more)
    {
        var output = new StringWriter();
        var code = Verifier.Run(["--history", history, "--checkpoint", checkpoint, "--public-key", key, .. more], output);
        return (code, output.ToString(), history, checkpoint, key);
    }

    [Fact]
    public async Task an_untouched_export_verifies()
    {
        await SignAsync();
        var (code, output, _, _, _) = await ExportAndVerifyAsync();
        Assert.True(code == 0, output);
        Assert.Contains("6 proven in the checkpoint", output);
    }

    [Fact]
    public async Task a_later_checkpoint_is_checked_consistent_with_an_older_one()
    {
        var older = ToCheckpoint(await SignAsync());
        var oldFile = await DownloadAsync("/api/audit/checkpoints/latest", "old.json");
        await OpenAccountAsync(AnAccount("Later Ltd"));
        var newer = ToCheckpoint(await SignAsync());
        var proof = await DownloadAsync($"/api/audit/proofs/consistency?from={older.TreeSize}&to={newer.TreeSize}", "proof.json");
        var (code, output, history, checkpoint, key) = await ExportAndVerifyAsync();
        Assert.True(code == 0, output);

        (code, output, _, _, _) = Run(history, checkpoint, key, "--previous-checkpoint", oldFile, "--consistency-proof", proof);
        Assert.True(code == 0, output);
        Assert.Contains("consistent", output);

        // A proof that does not fit (here: one for other sizes) is a failed consistency check, named as such.
        var wrong = await DownloadAsync($"/api/audit/proofs/consistency?from=1&to={newer.TreeSize}", "wrong.json");
        (code, output, _, _, _) = Run(history, checkpoint, key, "--previous-checkpoint", oldFile, "--consistency-proof", wrong);
        Assert.Equal(1, code);
        Assert.Contains("consistency fails", output);
    }

    [Fact]
    public async Task an_edited_export_fails_naming_the_event()
    {
        await SignAsync();
        var (code, output, _, _, _) = await ExportAndVerifyAsync(text =>
        {
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
            lines[2]!["sealedData"] = ((string)lines[2]!["sealedData"]!).Replace("90", "80");
            return string.Join('\n', lines.Select(l => l.ToJsonString()));
        });
        Assert.True(code == 1, output);
        Assert.Contains("version 3", output);
    }

    [Fact]
    public async Task a_resealed_chain_fails_its_inclusion_proofs_and_a_forged_checkpoint_its_signature()
    {
        await SignAsync();
        var before = await ExportAndVerifyAsync();
        // Rewrite and reseal the whole account, leaves and all; a new export chains, but not into the signed tree.
        await AttackAsync($$"""
            update {{Schema}}.mt_events set data = jsonb_set(data, '{note}', '"rewritten"') where stream_id = @stream and version = 6;
            update {{Schema}}.mt_events set headers = jsonb_set(headers, '{hash}', to_jsonb({{Schema}}.vl_event_seal_hash(headers ->> 'previousHash', stream_id, version, type,
              timestamp, user_name, data, id, is_archived, correlation_id, causation_id))) where stream_id = @stream and version = 6;
            update {{Schema}}.mt_doc_ledgerleaf l set data = jsonb_set(l.data, '{seal}', to_jsonb(e.headers ->> 'hash'))
              from {{Schema}}.mt_events e where e.seq_id = l.id and e.stream_id = @stream
            """, ("stream", _account));
        var history = await DownloadAsync($"/api/accounts/{_account}/history?format=jsonl&treeSize=6", "history-after.jsonl");
        var (code, output, _, _, _) = Run(history, before.Checkpoint, before.Key);
        // The proofs the forger's server hands out come from the rewritten leaves, so they fail from the first event on
        // whose path crosses the rewritten one; none of them leads to the signed root.
        Assert.True(code == 1, output);
        Assert.Contains("not in the checkpointed ledger (inclusion proof fails)", output);

        var forged = JsonNode.Parse(await File.ReadAllTextAsync(before.Checkpoint))!;
        forged["treeSize"] = 5;
        var forgedFile = Path.Combine(_folder, "forged.json");
        await File.WriteAllTextAsync(forgedFile, forged.ToJsonString());
        (code, output, _, _, _) = Run(before.History, forgedFile, before.Key);
        Assert.Equal(1, code);
        Assert.Contains("signature does not match", output);
    }
}
