using ValueLedger.Domain.Audit;

namespace ValueLedger.Domain.Tests.Audit;

public sealed class when_an_event_is_sealed
{
    private static readonly Guid Stream = Guid.Parse("0195f2a4-5b6c-7d8e-9f00-112233445566");
    private static readonly DateTimeOffset At = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);
    private static readonly EventMetadata Meta = new(Guid.Parse("0195f2a4-0000-7000-8000-000000000001"), false, "req-1", null);
    private const string Data = """{"name": "Acme Foods", "accountId": "0195f2a4-5b6c-7d8e-9f00-112233445566"}""";

    private static string Seal(string previous = "", long version = 1, string type = "account_opened", DateTimeOffset? time = null,
        string? author = "casey.csm", string data = Data) =>
        EventSeal.Hash(previous, Stream, version, type, time ?? At.AddTicks(1234560), author, data, Meta);

    [Fact]
    public void it_is_the_sha256_of_the_eight_fields_joined_by_line_feeds()
    {
        // printf "%s" (the message below, metadata as jsonb_build_object(...)::text renders it) | sha256sum
        Assert.Equal("96b2dfaa5a0babb77e9901ea98861397451b55048159fb0ea7a938bb16be03ae", Seal());
        Assert.Equal(
            "\n0195f2a4-5b6c-7d8e-9f00-112233445566\n1\naccount_opened\n2026-03-01T09:30:00.123456Z\n"
            + """{"eventId": "0195f2a4-0000-7000-8000-000000000001", "archived": false, "causationId": null, "correlationId": "req-1"}"""
            + "\ncasey.csm\n" + Data,
            EventSeal.Message("", Stream, 1, "account_opened", At.AddTicks(1234560), "casey.csm", Data, Meta));
    }

    [Fact]
    public void it_writes_time_in_utc_to_the_microsecond()
    {
        var local = new DateTimeOffset(2026, 3, 1, 11, 30, 0, TimeSpan.FromHours(2)).AddTicks(1234567);
        Assert.Equal("2026-03-01T09:30:00.123456Z", EventSeal.FormatTime(local));
        Assert.Equal(Seal(), Seal(time: local));
    }

    [Fact]
    public void it_changes_when_any_sealed_field_changes()
    {
        var original = Seal();
        Assert.NotEqual(original, Seal(previous: new string('0', 64)));
        Assert.NotEqual(original, EventSeal.Hash("", Guid.NewGuid(), 1, "account_opened", At.AddTicks(1234560), "casey.csm", Data, Meta));
        Assert.NotEqual(original, EventSeal.Hash("", Stream, 1, "account_opened", At.AddTicks(1234560), "casey.csm", Data, Meta with { Archived = true }));
        Assert.NotEqual(original, EventSeal.Hash("", Stream, 1, "account_opened", At.AddTicks(1234560), "casey.csm", Data, Meta with { CorrelationId = "req-2" }));
        Assert.NotEqual(original, EventSeal.Hash("", Stream, 1, "account_opened", At.AddTicks(1234560), "casey.csm", Data, Meta with { EventId = Guid.NewGuid() }));
        Assert.NotEqual(original, Seal(version: 2));
        Assert.NotEqual(original, Seal(type: "account_prioritised"));
        Assert.NotEqual(original, Seal(time: At));
        Assert.NotEqual(original, Seal(author: "mallory"));
        Assert.NotEqual(original, Seal(data: Data.Replace("Acme", "Acne")));
    }

    [Fact]
    public void a_missing_author_is_sealed_as_an_empty_one()
    {
        Assert.Equal(Seal(author: ""), Seal(author: null));
    }

    [Fact]
    public void it_is_64_lowercase_hex_digits()
    {
        Assert.True(EventSeal.IsHash(Seal()));
        Assert.False(EventSeal.IsHash(Seal().ToUpperInvariant()));
        Assert.False(EventSeal.IsHash("abc"));
        Assert.False(EventSeal.IsHash(null));
    }
}
