namespace ValueBot.Web.Hosting;

/// <summary>
/// The privacy and terms pages the Teams manifest links to (<c>developer.privacyUrl</c>, <c>termsOfUseUrl</c>):
/// short plain text, served by the app itself so that the links work on every deployment. An organisation that
/// publishes its own pages points the manifest there instead.
/// </summary>
public static class LegalPages
{
    public const string PrivacyPath = "/privacy";
    public const string TermsPath = "/terms";

    public const string Privacy = """
        ValueBot - privacy

        ValueBot runs inside your organisation's own Azure subscription. It is not a shared service: nothing it
        stores leaves the database your administrators deployed for it.

        What it stores
        - For each AI use case: the details an administrator registered (name, owner, baseline, thresholds) and
          an audit trail of every change (who, when, old and new value).
        - For each weekly check-in: the figures and notes the owner or delegate entered, who answered and when.
        - For each person it talks to: the Microsoft Entra object id, display name, the Teams conversation it may
          write to, and, when Microsoft Graph is configured, their manager's object id.

        What it does with it
        It computes each use case's value, warnings and stage-gate recommendation, and shows them to the owner,
        their manager and the leadership channel the administrators chose. It does not sell, share or use the
        data for anything else, and it sends none of it to the makers of ValueBot.

        Who to ask
        Your organisation's Teams or IT administrators run this instance. Ask them to see, correct or delete what
        is stored about you.
        """;

    public const string Terms = """
        ValueBot - terms of use

        ValueBot is provided to you by your organisation, inside its own Microsoft Teams tenant, to measure what
        its AI use cases return. Your organisation's own policies on acceptable use and confidential information
        apply to everything you enter.

        - Enter figures you believe to be accurate; the digests managers and leaders read are built from them.
        - The figures, warnings and recommendations are an aid to decisions, not decisions. A person records every
          stage-gate decision, with its reason.
        - The software is provided as is, without warranty of any kind. Your organisation's administrators decide
          how it is configured, who may use it and how long its data is kept.

        Questions go to your organisation's Teams or IT administrators.
        """;

    private static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>Maps GET (and HEAD, for link checkers) /privacy and /terms: plain text, UTF-8.</summary>
    public static IEndpointRouteBuilder MapLegalPages(this IEndpointRouteBuilder app)
    {
        app.MapMethods(PrivacyPath, Methods, () => TypedResults.Text(Privacy + "\n", "text/plain; charset=utf-8")).WithDisplayName("Privacy");
        app.MapMethods(TermsPath, Methods, () => TypedResults.Text(Terms + "\n", "text/plain; charset=utf-8")).WithDisplayName("Terms of use");
        return app;
    }
}
