using ValueBot.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddValueBot();

var app = builder.Build();
app.MapValueBot();
app.Run();

/// <summary>Entry point; public so integration tests can host the app.</summary>
public partial class Program;
