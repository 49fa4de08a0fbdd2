namespace ValueBot.Domain.CheckIns;

/// <summary>Lifecycle of one week's check-in: scheduled → sent → answered | skipped | missed | undeliverable.</summary>
public enum CheckInStatus
{
    Scheduled,
    Sent,
    Answered,

    /// <summary>The owner said the week does not apply (e.g. holiday): neither due nor answered.</summary>
    Skipped,

    /// <summary>No answer by the deadline.</summary>
    Missed,

    /// <summary>Bot not installed, blocked, or the user is gone.</summary>
    Undeliverable,
}

public enum BacklogShrinking
{
    NotMeasured,
    Yes,
    No,
}

public enum OwnersCall
{
    OnTrack,
    AtRisk,
    OffTrack,
}
