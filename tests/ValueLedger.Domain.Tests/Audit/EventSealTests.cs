using ValueLedger.Domain.Audit;

namespace ValueLedger.Domain.Tests.Audit;

public sealed class when_an_event_is_sealed
{
    private static readonly Guid Stream = Guid.Parse("0195f2a4-5b6c-7d8e-9f00-112233445566");
    private static readonly DateTimeOffset At = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);
    private const string Data = """{"name": "Acme Foods", "accountId": "0195f2a4-5b6c-7d8e-9f00-112233445566"}""";

    private static string Seal(string previous = "", long version = 1, string type = "account_opened", DateTimeOffset? time = null,
        string? author = "casey.csm", string data = Data) =>
        EventSeal.Hash(previous, Stream, version, type, time ?? At.AddTicks(1234560), author, data);

    [Fact]
    public void it_is_the_sha256_of_the_seven_fields_joined_by_line_feeds()
    {
        // printf '%s' $'\n'"<stream>"$'\n'"1"$'\n'"account_opened"$'\n'"2026-03-01T09:30:00.123456Z"$'\n'"casey.csm"$'\n''<data>' | sha256sum
        Assert.Equal("3b9cb351892c26033bc2adc83b3045bd510b9cfd48dd5039c85e8f5605f522a9", Seal());
        Assert.Equal(
            "\n0195f2a4-5b6c-7d8e-9f00-112233445566\n1\naccount_opened\n2026-03-01T09:30:00.123456Z\ncasey.csm\n" + Data,
            EventSeal.Message("", Stream, 1, "account_opened", At.AddTicks(1234560), "casey.csm", Data));
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
        Assert.NotEqual(original, EventSeal.Hash("", Guid.NewGuid(), 1, "account_opened", At.AddTicks(1234560), "casey.csm", Data));
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
