using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ValueBot.Web.UseCases;

/// <summary>A row of <c>people</c>: what ValueBot knows of an owner, delegate or sponsor without asking Graph.</summary>
public sealed class Person
{
    public required string AadObjectId { get; set; }

    public string? UserPrincipalName { get; set; }

    public required string DisplayName { get; set; }

    public string? Mail { get; set; }

    public string? TimeZone { get; set; }

    public string? ManagerAadObjectId { get; set; }

    public bool HasLeft { get; set; }

    public DateTime UpdatedAt { get; set; }
}

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> builder)
    {
        builder.ToTable("people");
        builder.HasKey(p => p.AadObjectId);
    }
}
