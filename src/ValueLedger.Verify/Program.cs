using System.Text.Json;
using System.Text.Json.Nodes;
using NSec.Cryptography;
using ValueLedger.Domain.Audit;

// ops/verify: checks an exported account history against a signed checkpoint and the ledger's public key, trusting no
// server. No database, no web host: the seal, chain and tree code is the domain's own (ValueLedger.Domain.Audit).
// Exit 0 only when everything holds; otherwise the first event or checkpoint that fails is named, with why.
return Verifier.Run(args, Console.Out);

public static class Verifier
{
    public static int Run(string[] args, TextWriter output)
    {
        string? history = null, checkpoint = null, publicKey = null, previous = null, consistency = null, receipt = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--history": history = value; i++; break;
                case "--checkpoint": checkpoint = value; i++; break;
                case "--public-key": publicKey = value; i++; break;
                case "--previous-checkpoint": previous = value; i++; break;
                case "--consistency-proof": consistency = value; i++; break;
                case "--receipt": receipt = value; i++; break;
                default:
                    output.WriteLine($"unknown argument {args[i]}");
                    return 2;
            }
        }
        if (publicKey is null || (receipt is null && (history is null || checkpoint is null)))
        {
            output.WriteLine("usage: ops/verify --history FILE.jsonl --checkpoint FILE.json --public-key FILE [--previous-checkpoint FILE.json --consistency-proof FILE.json]");
            output.WriteLine("       ops/verify --receipt RECEIPT.json --public-key FILE [--history FILE.jsonl]");
            return 2;
        }
        try
        {
            var failure = receipt is not null
                ? VerifyReceipt(receipt, publicKey, history, output)
                : Verify(history!, checkpoint!, publicKey, previous, consistency, output);
            if (failure is null)
            {
                output.WriteLine("VERIFIED");
                return 0;
            }
            output.WriteLine($"FAILED: {failure}");
            return 1;
        }
        catch (Exception e) when (e is IOException or JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            output.WriteLine($"FAILED: unreadable input: {e.Message}");
            return 1;
        }
    }

    private static string? Verify(string historyFile, string checkpointFile, string publicKeyFile, string? previousFile, string? consistencyFile, TextWriter output)
    {
        var keys = JsonNode.Parse(File.ReadAllText(publicKeyFile))!;
        var checkpoint = ReadCheckpoint(checkpointFile);
        if (SignatureProblem(checkpoint, keys) is { } bad) return $"checkpoint {checkpointFile}: {bad}";
        output.WriteLine($"checkpoint: tree size {checkpoint.Statement.TreeSize}, root {checkpoint.Statement.RootHash}, signature valid (key {checkpoint.Statement.KeyId})");

        if (previousFile is not null)
        {
            var older = ReadCheckpoint(previousFile);
            if (SignatureProblem(older, keys) is { } oldBad) return $"previous checkpoint {previousFile}: {oldBad}";
            if (older.Statement.TreeSize > checkpoint.Statement.TreeSize) return $"previous checkpoint {previousFile}: it is larger than the checkpoint";
            if (consistencyFile is null) return "a consistency proof (--consistency-proof, from GET /api/audit/proofs/consistency) is needed with --previous-checkpoint";
            var proof = JsonNode.Parse(File.ReadAllText(consistencyFile))!["proof"]!.AsArray().Select(p => Convert.FromHexString((string)p!)).ToList();
            if (!LedgerTree.VerifyConsistency(older.Statement.TreeSize, checkpoint.Statement.TreeSize, Convert.FromHexString(older.Statement.RootHash),
                    Convert.FromHexString(checkpoint.Statement.RootHash), proof))
                return $"previous checkpoint {previousFile}: the ledger of tree size {checkpoint.Statement.TreeSize} does not extend it (consistency fails): history was rewritten";
            output.WriteLine($"previous checkpoint: tree size {older.Statement.TreeSize}, consistent");
        }

        var root = Convert.FromHexString(checkpoint.Statement.RootHash);
        ChainVerifier? chain = null;
        var covered = 0;
        var uncovered = 0;
        foreach (var (line, number) in File.ReadLines(historyFile).Select((l, n) => (l, n + 1)).Where(x => x.l.Length > 0))
        {
            var e = JsonNode.Parse(line)!;
            var sequence = (long)e["sequence"]!;
            var version = (long)e["version"]!;
            var streamId = Guid.Parse((string)(e["accountId"] ?? throw new InvalidOperationException($"line {number}: no accountId")));
            chain ??= new ChainVerifier(streamId);
            var hash = (string?)e["hash"];
            var sealedEvent = new SealedEvent(sequence, version, (string)e["type"]!, DateTimeOffset.Parse((string)e["recordedAt"]!), (string?)e["recordedBy"],
                (string?)e["sealedData"] ?? throw new InvalidOperationException($"line {number}: no sealedData (export with the current API)"), hash, (string?)e["previousHash"],
                new EventMetadata(Guid.Parse((string)e["eventId"]!), (bool?)e["archived"] ?? false, (string?)e["correlationId"], (string?)e["causationId"]));
            chain.Add(sealedEvent);

            if (e["inclusionProof"] is JsonObject proof)
            {
                var size = (long)proof["treeSize"]!;
                if (size != checkpoint.Statement.TreeSize)
                    return $"event {sequence} (version {version}): its proof is for tree size {size}, the checkpoint's is {checkpoint.Statement.TreeSize}; export with ?treeSize={checkpoint.Statement.TreeSize}";
                var path = proof["auditPath"]!.AsArray().Select(p => Convert.FromHexString((string)p!)).ToList();
                if (!LedgerTree.VerifyInclusion((long)proof["leafIndex"]!, size, LedgerTree.LeafOfSeal(hash), path, root))
                    return $"event {sequence} (version {version}): it is not in the checkpointed ledger (inclusion proof fails): changed, resealed or never part of it";
                covered++;
            }
            else uncovered++;
        }
        if (chain is null) return "the history is empty";
        var verdict = chain.Complete(null);
        if (verdict.Break is { } b) return $"event at version {b.Version}{(b.Sequence is { } s ? $" (sequence {s})" : "")}: {b.Reason.ToString().ToLowerInvariant()}: {b.Detail}";
        output.WriteLine($"history: {verdict.EventsChecked} events, every seal recomputed and chained; {covered} proven in the checkpoint"
            + (uncovered > 0 ? $", {uncovered} newer than it (not yet covered by a checkpoint)" : ""));
        return null;
    }

    /// <summary>
    /// A sign-off receipt (as the sign-off answer or <c>GET …/receipts/{version}</c> gives it, or its <c>receipt</c>
    /// member): the checkpoint it carries is signed by a published key, and its inclusion proof leads from the event's
    /// seal to that checkpoint's root. With <paramref name="historyFile"/>, the exported history also verifies against
    /// that checkpoint and holds the signed event with that very seal, so what was signed can be read and recomputed.
    /// </summary>
    private static string? VerifyReceipt(string receiptFile, string publicKeyFile, string? historyFile, TextWriter output)
    {
        var node = JsonNode.Parse(File.ReadAllText(receiptFile))!;
        var r = node["receipt"] ?? node;
        var keys = JsonNode.Parse(File.ReadAllText(publicKeyFile))!;
        var version = (long)r["version"]!;
        var eventHash = (string)r["eventHash"]!;
        var what = $"receipt of account {(string)r["accountId"]!} version {version}";
        if (r["checkpoint"] is not JsonObject checkpointNode) return $"{what}: it carries no signed checkpoint";
        var checkpoint = ReadCheckpoint(checkpointNode, receiptFile);
        if (SignatureProblem(checkpoint, keys) is { } bad) return $"{what}: its checkpoint: {bad}";
        if (r["inclusionProof"] is not JsonObject proof)
            return $"{what}: its checkpoint (tree size {checkpoint.Statement.TreeSize}) does not cover the event yet; fetch the receipt again (GET /api/accounts/{{accountId}}/receipts/{version})";
        var size = (long)proof["treeSize"]!;
        if (size != checkpoint.Statement.TreeSize) return $"{what}: its proof is for tree size {size}, its checkpoint's is {checkpoint.Statement.TreeSize}";
        var path = proof["auditPath"]!.AsArray().Select(p => Convert.FromHexString((string)p!)).ToList();
        if (!LedgerTree.VerifyInclusion((long)proof["leafIndex"]!, size, LedgerTree.LeafOfSeal(eventHash), path, Convert.FromHexString(checkpoint.Statement.RootHash)))
            return $"{what}: the event with seal {eventHash} is not in the signed checkpoint (inclusion proof fails)";
        output.WriteLine($"receipt: event version {version} (sequence {(long)r["sequence"]!}) with seal {eventHash} is in the checkpoint of tree size {size}, signature valid (key {checkpoint.Statement.KeyId})");
        if (historyFile is null) return null;

        var line = File.ReadLines(historyFile).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!).FirstOrDefault(e => (long)e["version"]! == version);
        if (line is null) return $"{what}: the history has no event at version {version}";
        if ((string?)line["hash"] != eventHash) return $"{what}: the history's event at version {version} has seal {(string?)line["hash"]}, not the receipt's";
        var checkpointFile = Path.GetTempFileName();
        try
        {
            File.WriteAllText(checkpointFile, checkpointNode.ToJsonString());
            return Verify(historyFile, checkpointFile, publicKeyFile, null, null, output);
        }
        finally
        {
            File.Delete(checkpointFile);
        }
    }

    private sealed record Signed(Checkpoint Statement, string Signature);

    private static Signed ReadCheckpoint(string file) => ReadCheckpoint(JsonNode.Parse(File.ReadAllText(file))!, file);

    private static Signed ReadCheckpoint(JsonNode c, string file)
    {
        if ((string?)c["scheme"] != Checkpoint.Scheme) throw new InvalidOperationException($"{file}: not a {Checkpoint.Scheme} checkpoint");
        return new Signed(new Checkpoint((long)c["treeSize"]!, (string)c["rootHash"]!, DateTimeOffset.Parse((string)c["timestamp"]!), (string)c["keyId"]!),
            (string)c["signature"]!);
    }

    private static string? SignatureProblem(Signed checkpoint, JsonNode keys)
    {
        var candidates = keys["keys"]?.AsArray().Select(k => k!) ?? [keys];
        var key = candidates.FirstOrDefault(k => (string?)k["keyId"] == checkpoint.Statement.KeyId);
        if (key is null) return $"signed by key {checkpoint.Statement.KeyId}, which the public-key file does not list";
        if ((string?)key["algorithm"] != "ed25519") return "the key is not an ed25519 key";
        var raw = Convert.FromBase64String((string)key["publicKey"]!);
        if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, raw, KeyBlobFormat.RawPublicKey, out var publicKey) || publicKey is null)
            return "the public key is malformed";
        if (!SignatureAlgorithm.Ed25519.Verify(publicKey, System.Text.Encoding.UTF8.GetBytes(checkpoint.Statement.CanonicalText()), Convert.FromBase64String(checkpoint.Signature)))
            return "the signature does not match the checkpoint (it was altered or forged)";
        if (key["validUntil"] is JsonNode until && until.GetValueKind() == JsonValueKind.String && checkpoint.Statement.Timestamp > DateTimeOffset.Parse((string)until!))
            return $"key {checkpoint.Statement.KeyId} was retired before this checkpoint's time";
        return null;
    }
}
