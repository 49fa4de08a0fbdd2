using ValueBot.Domain.CheckIns;

namespace ValueBot.Domain.Metrics;

/// <summary>Answered ÷ due. Skipped weeks are neither; add two to combine use cases of one owner.</summary>
public readonly record struct CheckInCompliance(int Answered, int Due)
{
    public static CheckInCompliance None => default;

    /// <summary>Null ("not defined") when nothing was due.</summary>
    public decimal? Rate => Due == 0 ? null : (decimal)Answered / Due;

    public CheckInCompliance Add(CheckInStatus status) => status switch
    {
        CheckInStatus.Answered => new(Answered + 1, Due + 1),
        CheckInStatus.Missed or CheckInStatus.Undeliverable => this with { Due = Due + 1 },
        _ => this,
    };

    public static CheckInCompliance operator +(CheckInCompliance left, CheckInCompliance right) =>
        new(left.Answered + right.Answered, left.Due + right.Due);

    public static CheckInCompliance Of(IEnumerable<CheckInStatus> statuses)
    {
        var compliance = None;
        foreach (var status in statuses)
        {
            compliance = compliance.Add(status);
        }

        return compliance;
    }
}
