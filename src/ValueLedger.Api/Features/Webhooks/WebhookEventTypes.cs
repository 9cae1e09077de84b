using System.Text.Json.Nodes;

namespace ValueLedger.Api.Features.Webhooks;

/// <summary>
/// What a subscriber can hear of, as a CloudEvent: its type, id, subject (the path of the thing concerned below the
/// account) and <c>data</c> (the account and the ids concerned, and the figures a receiver acts on without calling back).
/// </summary>
public sealed record Announcement(string Type, string Id, Guid AccountId, string Subject, DateTimeOffset Time, JsonObject Data);

public static class WebhookEventTypes
{
    public const string All = "*";
    public const string MeasurementRecorded = "valueledger.measurement.recorded";
    public const string MeasurementCorrected = "valueledger.measurement.corrected";
    public const string MeasurementConfirmed = "valueledger.measurement.confirmed";
    public const string MeasurementDisputed = "valueledger.measurement.disputed";
    public const string CommitmentAtRisk = "valueledger.commitment.atRisk";
    public const string CommitmentAchieved = "valueledger.commitment.achieved";
    public const string CommitmentMissed = "valueledger.commitment.missed";
    public const string SettlementCalculated = "valueledger.settlement.calculated";
    public const string SettlementCertified = "valueledger.settlement.certified";
    public const string SettlementDisputed = "valueledger.settlement.disputed";
    public const string ResponsibilityMissed = "valueledger.responsibility.missed";

    public static readonly IReadOnlyList<string> Known =
    [
        MeasurementRecorded, MeasurementCorrected, MeasurementConfirmed, MeasurementDisputed, CommitmentAtRisk, CommitmentAchieved,
        CommitmentMissed, SettlementCalculated, SettlementCertified, SettlementDisputed, ResponsibilityMissed
    ];

    /// <summary>The announcement a ledger event makes, if subscribers can hear of it; its id is the event's, so it is stable.</summary>
    public static Announcement? Of(Guid accountId, IEvent e)
    {
        string Id() => e.Id.ToString();
        var data = new JsonObject { ["accountId"] = accountId, ["version"] = e.Version };
        Announcement Make(string type, string subject, JsonObject extra)
        {
            foreach (var (key, value) in extra.ToList())
            {
                extra.Remove(key);
                data[key] = value;
            }
            return new Announcement(type, Id(), accountId, subject, e.Timestamp, data);
        }
        static string Measurement(Guid commitmentId, Guid measurementId) => $"commitments/{commitmentId}/measurements/{measurementId}";
        static string Settlement(Guid commitmentId, Guid settlementId) => $"commitments/{commitmentId}/settlements/{settlementId}";
        return e.Data switch
        {
            MeasurementRecorded m => Make(MeasurementRecorded, Measurement(m.CommitmentId, m.MeasurementId), new JsonObject
            {
                ["commitmentId"] = m.CommitmentId, ["measurementId"] = m.MeasurementId, ["periodStart"] = m.PeriodStart.ToString("O"),
                ["periodEnd"] = m.PeriodEnd.ToString("O"), ["value"] = m.Value, ["source"] = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(m.Source.ToString()), ["provisional"] = m.Provisional
            }),
            MeasurementCorrected m => Make(MeasurementCorrected, Measurement(m.CommitmentId, m.MeasurementId), new JsonObject
            {
                ["commitmentId"] = m.CommitmentId, ["measurementId"] = m.MeasurementId, ["revision"] = m.Revision, ["value"] = m.Value,
                ["reason"] = m.Reason
            }),
            MeasurementConfirmed m => Make(MeasurementConfirmed, Measurement(m.CommitmentId, m.MeasurementId), new JsonObject
            {
                ["commitmentId"] = m.CommitmentId, ["measurementId"] = m.MeasurementId, ["revision"] = m.Revision, ["onBehalf"] = false,
                ["signer"] = m.ConfirmedBy
            }),
            MeasurementConfirmedOnBehalf m => Make(MeasurementConfirmed, Measurement(m.CommitmentId, m.MeasurementId), new JsonObject
            {
                ["commitmentId"] = m.CommitmentId, ["measurementId"] = m.MeasurementId, ["revision"] = m.Revision, ["onBehalf"] = true,
                ["statedBy"] = m.StatedBy, ["recordedBy"] = m.RecordedBy
            }),
            MeasurementDisputed m => Make(MeasurementDisputed, Measurement(m.CommitmentId, m.MeasurementId), new JsonObject
            {
                ["commitmentId"] = m.CommitmentId, ["measurementId"] = m.MeasurementId, ["revision"] = m.Revision, ["reason"] = m.Reason
            }),
            SettlementCalculated s => Make(SettlementCalculated, Settlement(s.CommitmentId, s.SettlementId), new JsonObject
            {
                ["commitmentId"] = s.CommitmentId, ["settlementId"] = s.SettlementId, ["settlementVersion"] = s.Version,
                ["periodStart"] = s.Breakdown.PeriodStart.ToString("O"), ["periodEnd"] = s.Breakdown.PeriodEnd.ToString("O"),
                ["currency"] = s.Breakdown.Currency, ["fee"] = s.Breakdown.Fee
            }),
            SettlementCertified s => Make(SettlementCertified, Settlement(s.CommitmentId, s.SettlementId), new JsonObject
            {
                ["commitmentId"] = s.CommitmentId, ["settlementId"] = s.SettlementId, ["settlementVersion"] = s.Version, ["signer"] = s.CertifiedBy
            }),
            SettlementDisputed s => Make(SettlementDisputed, Settlement(s.CommitmentId, s.SettlementId), new JsonObject
            {
                ["commitmentId"] = s.CommitmentId, ["settlementId"] = s.SettlementId, ["settlementVersion"] = s.Version, ["reason"] = s.Reason
            }),
            ResponsibilityMissed r => Make(ResponsibilityMissed, $"responsibilities/{r.ResponsibilityId}", new JsonObject
            {
                ["responsibilityId"] = r.ResponsibilityId, ["periodStart"] = r.PeriodStart.ToString("O"), ["periodEnd"] = r.PeriodEnd.ToString("O"),
                ["dueAt"] = r.DueAt
            }),
            TargetMissedAtPeriodEnd t => Make(CommitmentMissed, $"commitments/{t.CommitmentId}", new JsonObject
            {
                ["commitmentId"] = t.CommitmentId, ["periodEnd"] = t.PeriodEnd.ToString("O"), ["latestProgress"] = t.LatestProgress
            }),
            _ => null
        };
    }
}
