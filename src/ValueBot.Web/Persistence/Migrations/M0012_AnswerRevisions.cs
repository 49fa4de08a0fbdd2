namespace ValueBot.Web.Persistence.Migrations;

/// <summary>
/// No answer lost: each check-in counts the answers written to it, and a card carries the count it was built from, so
/// a submission from an older card is refused instead of overwriting a newer answer. Answers stored before this
/// migration are revision 1: every card sent before it was built from no answer of its week (revision 0).
/// </summary>
internal sealed class M0012_AnswerRevisions : Migration
{
    public override int Version => 12;

    public override string Name => "answer revisions";

    public override IEnumerable<string> Up(DatabaseEngine engine)
    {
        yield return "ALTER TABLE check_ins ADD COLUMN answer_revision INTEGER NOT NULL DEFAULT 0";
        yield return "UPDATE check_ins SET answer_revision = 1 WHERE LOWER(status) = 'answered'";
    }
}
