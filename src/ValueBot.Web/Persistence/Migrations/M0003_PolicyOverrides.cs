namespace ValueBot.Web.Persistence.Migrations;

/// <summary>
/// Per-use-case stop-loss thresholds and rule parameters in one JSON column, <c>use_cases.policy_overrides</c>
/// (null: the organisation's policy). The three stop-loss columns are folded into it: a value that differs from
/// DOMAIN.md's default (15 % rework, 60 % adoption, no exception maximum) stays the use case's own; a default one
/// now follows the organisation (which is the same until <c>Policy:*</c> is configured otherwise).
/// </summary>
internal sealed class M0003_PolicyOverrides : Migration
{
    public override int Version => 3;

    public override string Name => "policy overrides";

    public override IEnumerable<string> Up(DatabaseEngine engine)
    {
        yield return "ALTER TABLE use_cases ADD COLUMN policy_overrides TEXT NULL";
        if (engine == DatabaseEngine.Postgres)
        {
            yield return """
                UPDATE use_cases SET policy_overrides = NULLIF(jsonb_strip_nulls(jsonb_build_object(
                    'maxReworkRate', CASE WHEN max_rework_rate <> 0.15 THEN max_rework_rate END,
                    'minAdoption', CASE WHEN min_adoption <> 0.6 THEN min_adoption END,
                    'maxExceptionRate', max_exception_rate))::text, '{}')
                """;
            yield return "ALTER TABLE use_cases DROP COLUMN max_rework_rate, DROP COLUMN min_adoption, DROP COLUMN max_exception_rate";
        }
        else
        {
            // Decimals are TEXT on SQLite; json() keeps each one as the number it spells, digit for digit.
            yield return """
                UPDATE use_cases SET policy_overrides = NULLIF(json_patch('{}', json_object(
                    'maxReworkRate', CASE WHEN CAST(max_rework_rate AS REAL) <> 0.15 THEN json(max_rework_rate) END,
                    'minAdoption', CASE WHEN CAST(min_adoption AS REAL) <> 0.6 THEN json(min_adoption) END,
                    'maxExceptionRate', CASE WHEN max_exception_rate IS NOT NULL THEN json(max_exception_rate) END)), '{}')
                """;
            yield return "ALTER TABLE use_cases DROP COLUMN max_rework_rate";
            yield return "ALTER TABLE use_cases DROP COLUMN min_adoption";
            yield return "ALTER TABLE use_cases DROP COLUMN max_exception_rate";
        }
    }
}
