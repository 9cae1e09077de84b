using Marten;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ValueLedger.Api.Features.Audit.Checkpoints;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Domain.Audit;
using Wolverine;

namespace ValueLedger.Api.Tests.Audit;

/// <summary>Signing, reading and proving checkpoints of the ledger tree.</summary>
public abstract class CheckpointContext(AppFixture app) : AuditContext(app)
{
    protected HttpClient Admin => App.ClientFor(Roles.Admin, "root.admin");

    protected async Task<JsonNode> SignAsync()
    {
        var response = await Admin.PostAsync("/api/audit/checkpoints", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await ReadAsync(response);
    }

    protected async Task<JsonNode> VerifyAgainstAsync(JsonNode checkpoint)
    {
        var response = await Auditor.PostAsJsonAsync("/api/audit/checkpoints/verification", checkpoint);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK && body.Contains("\"verified\""), $"{(int)response.StatusCode} {body} for {checkpoint.ToJsonString()} {string.Join(",", response.Headers.Select(h => h.Key))}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>The seals of every sealed event, in global order, straight from PostgreSQL.</summary>
    protected static async Task<List<byte[]>> LeavesInDatabaseAsync()
    {
        await using var connection = await OpenDatabaseAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            $"select headers ->> 'hash' from {Schema}.mt_events where type <> 'tombstone' order by seq_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var leaves = new List<byte[]>();
        while (await reader.ReadAsync()) leaves.Add(LedgerTree.LeafOfSeal(reader.IsDBNull(0) ? null : reader.GetString(0)));
        return leaves;
    }

    protected static SignedCheckpoint ToCheckpoint(JsonNode node) => node.Deserialize<SignedCheckpoint>(JsonOptions)!;
}

public sealed class when_a_checkpoint_is_signed(AppFixture app) : CheckpointContext(app)
{
    [Fact]
    public async Task it_covers_every_sealed_event_and_its_signature_checks_out_under_the_published_key()
    {
        await BuildAccountAsync();
        var signed = await SignAsync();

        var leaves = await LeavesInDatabaseAsync();
        Assert.Equal(6, leaves.Count);
        Assert.Equal(6L, (long)signed["treeSize"]!);
        Assert.Equal(Convert.ToHexStringLower(LedgerTree.Root(leaves)), (string)signed["rootHash"]!);

        var keys = await GetAsAuditorAsync("/api/audit/public-key");
        Assert.Equal("ed25519", (string)keys["algorithm"]!);
        Assert.Equal((string)keys["keyId"]!, (string)signed["keyId"]!);
        var checkpoint = ToCheckpoint(signed);
        Assert.True(CheckpointKey.Verify(Convert.FromBase64String((string)keys["publicKey"]!), checkpoint.Statement.CanonicalText(),
            Convert.FromBase64String(checkpoint.Signature)));

        var latest = await GetAsAuditorAsync("/api/audit/checkpoints/latest");
        Assert.True(JsonNode.DeepEquals(signed, latest));
        var from = Iso(checkpoint.Timestamp.AddSeconds(-1));
        var to = Iso(checkpoint.Timestamp.AddSeconds(1));
        Assert.Single((await GetAsAuditorAsync($"/api/audit/checkpoints?from={from}&to={to}")).AsArray());
        Assert.Empty((await GetAsAuditorAsync($"/api/audit/checkpoints?to={Iso(checkpoint.Timestamp.AddDays(-1))}")).AsArray());
    }

    [Fact]
    public async Task the_job_signs_only_when_the_ledger_moved_and_each_tree_is_consistent_with_the_last()
    {
        using var scope = Host.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        var (accountId, commitmentId, _) = await BuildAccountAsync();
        var first = await bus.InvokeAsync<SignedCheckpoint?>(new SignCheckpoint(false));
        Assert.NotNull(first);
        Assert.Null(await bus.InvokeAsync<SignedCheckpoint?>(new SignCheckpoint(false)));

        await RecordAsync(accountId, commitmentId, AMonth(3, 84));
        await OpenAccountAsync(AnAccount("Second Ltd"));
        var second = await bus.InvokeAsync<SignedCheckpoint?>(new SignCheckpoint(false));
        Assert.Equal(8L, second!.TreeSize);
        Assert.Equal(Convert.ToHexStringLower(LedgerTree.Root(await LeavesInDatabaseAsync())), second.RootHash);

        var proof = await GetAsAuditorAsync($"/api/audit/proofs/consistency?from={first!.TreeSize}&to={second.TreeSize}");
        Assert.True(LedgerTree.VerifyConsistency(first.TreeSize, second.TreeSize, Convert.FromHexString(first.RootHash),
            Convert.FromHexString(second.RootHash), proof["proof"]!.AsArray().Select(p => Convert.FromHexString((string)p!)).ToList()));

        var history = (await GetAsAuditorAsync($"/api/accounts/{accountId}/history")).AsArray();
        var last = history[^1]!;
        var inclusion = await GetAsAuditorAsync($"/api/audit/proofs/inclusion?sequence={(long)last["sequence"]!}");
        Assert.Equal(second.RootHash, (string)inclusion["rootHash"]!);
        Assert.True(LedgerTree.VerifyInclusion((long)inclusion["leafIndex"]!, second.TreeSize, LedgerTree.LeafOfSeal((string)last["hash"]!),
            inclusion["auditPath"]!.AsArray().Select(p => Convert.FromHexString((string)p!)).ToList(), Convert.FromHexString(second.RootHash)));
        // The history carries the same proof for each of its events, against the latest checkpoint.
        Assert.Equal((long)inclusion["leafIndex"]!, (long)last["inclusionProof"]!["leafIndex"]!);
        Assert.Equal(second.TreeSize, (long)last["inclusionProof"]!["treeSize"]!);
    }

    [Fact]
    public async Task proofs_read_the_recorded_subtrees_and_still_hold_for_a_tree_recorded_without_them()
    {
        await BuildAccountAsync();
        var older = ToCheckpoint(await SignAsync());
        await OpenAccountAsync(AnAccount("Later Ltd"));
        var newer = ToCheckpoint(await SignAsync());
        await using (var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession())
            Assert.NotEmpty(await session.Query<LedgerNode>().ToListAsync());

        async Task<(JsonNode Inclusion, JsonNode Consistency)> ProofsAsync() =>
            (await GetAsAuditorAsync($"/api/audit/proofs/inclusion?sequence=2&treeSize={newer.TreeSize}"),
                await GetAsAuditorAsync($"/api/audit/proofs/consistency?from={older.TreeSize}&to={newer.TreeSize}"));
        var fromNodes = await ProofsAsync();

        // A ledger checkpointed before subtree nodes were kept has none: the proofs are hashed from the leaves instead.
        await using (var session = Host.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.DeleteWhere<LedgerNode>(_ => true);
            await session.SaveChangesAsync();
        }
        var fromLeaves = await ProofsAsync();
        Assert.Equal(fromNodes.Inclusion.ToJsonString(), fromLeaves.Inclusion.ToJsonString());
        Assert.Equal(fromNodes.Consistency.ToJsonString(), fromLeaves.Consistency.ToJsonString());

        var leaves = await LeavesInDatabaseAsync();
        var inclusion = fromNodes.Inclusion;
        Assert.True(LedgerTree.VerifyInclusion((long)inclusion["leafIndex"]!, newer.TreeSize, leaves[(int)(long)inclusion["leafIndex"]!],
            inclusion["auditPath"]!.AsArray().Select(p => Convert.FromHexString((string)p!)).ToList(), Convert.FromHexString(newer.RootHash)));
        Assert.True(LedgerTree.VerifyConsistency(older.TreeSize, newer.TreeSize, Convert.FromHexString(older.RootHash), Convert.FromHexString(newer.RootHash),
            fromNodes.Consistency["proof"]!.AsArray().Select(p => Convert.FromHexString((string)p!)).ToList()));
    }

    [Fact]
    public async Task each_checkpoint_is_published_as_a_file_of_its_own_outside_the_database()
    {
        await OpenAccountAsync();
        var signed = ToCheckpoint(await SignAsync());
        var file = Path.Combine(App.CheckpointFolder, "published", CheckpointFileSinkHandler.FileName(signed));
        await Eventually.Async(() => Task.FromResult(File.Exists(file)), TimeSpan.FromSeconds(20), "the checkpoint file to appear");
        var published = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        Assert.Equal(signed, ToCheckpoint(published));
    }

    [Fact]
    public async Task proofs_and_ranges_refuse_bad_input_with_the_field_named()
    {
        await OpenAccountAsync();
        await SignAsync();
        async Task<JsonNode> Bad(string url, HttpStatusCode expected)
        {
            var response = await Auditor.GetAsync(url);
            Assert.Equal(expected, response.StatusCode);
            return await ReadAsync(response);
        }
        Assert.NotNull((await Bad("/api/audit/proofs/inclusion", HttpStatusCode.BadRequest))["errors"]!["sequence"]);
        Assert.NotNull((await Bad("/api/audit/proofs/consistency?from=3&to=1", HttpStatusCode.BadRequest))["errors"]!["from"]);
        await Bad("/api/audit/proofs/consistency?from=1&to=99", HttpStatusCode.NotFound);
        await Bad("/api/audit/proofs/inclusion?sequence=999999", HttpStatusCode.NotFound);
        Assert.NotNull((await Bad("/api/audit/checkpoints?from=yesterday", HttpStatusCode.BadRequest))["errors"]!["from"]);
        var malformed = await Auditor.PostAsJsonAsync("/api/audit/checkpoints/verification", new { scheme = "x", rootHash = "zz" });
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await App.ClientFor(Roles.Auditor).PostAsync("/api/audit/checkpoints", null)).StatusCode);
    }
}

public sealed class when_the_checkpoint_key_is_made_locally
{
    [Fact]
    public void it_is_created_once_readable_only_by_its_owner_and_used_again()
    {
        var folder = Directory.CreateTempSubdirectory("valueledger-key-").FullName;
        var path = Path.Combine(folder, "nested", "checkpoint-key");
        var options = Options.Create(new CheckpointSettings { KeyFile = path });
        var configuration = new ConfigurationBuilder().Build();
        using var first = new CheckpointKey(options, configuration);
        using var second = new CheckpointKey(options, configuration);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(first.KeyId, second.KeyId);
        Assert.Equal(CheckpointKey.IdOf(first.PublicKeyBytes), first.KeyId);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!)); // no temporary file left behind
        var text = new Checkpoint(1, new string('a', 64), DateTimeOffset.UnixEpoch, first.KeyId).CanonicalText();
        Assert.True(CheckpointKey.Verify(second.PublicKeyBytes, text, first.Sign(text)));
        Assert.False(CheckpointKey.Verify(second.PublicKeyBytes, text.Replace("\n1\n", "\n2\n"), first.Sign(text)));
    }

    [Fact]
    public void a_configured_key_is_used_as_given_and_retired_keys_stay_published()
    {
        var seed = new byte[32];
        seed[0] = 7;
        var settings = new CheckpointSettings
        {
            PrivateKey = Convert.ToBase64String(seed),
            RetiredKeys = [new RetiredKey { KeyId = "old", PublicKey = Convert.ToBase64String(new byte[32]), ValidUntil = DateTimeOffset.UnixEpoch }]
        };
        using var key = new CheckpointKey(Options.Create(settings), new ConfigurationBuilder().Build());
        using var again = new CheckpointKey(Options.Create(settings), new ConfigurationBuilder().Build());
        Assert.Equal(key.KeyId, again.KeyId);
        Assert.Equal([key.KeyId, "old"], key.Published.Select(k => k.KeyId));
        Assert.True(key.Published[0].Current);
        Assert.False(key.Published[1].Current);
    }
}
