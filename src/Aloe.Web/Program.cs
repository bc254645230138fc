using Aloe.Core.Benchmark;
using Aloe.Core.Data;
using Aloe.Core.Dialogues;
using Aloe.Core.Hosting;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.Core.Personas;
using Aloe.Core.Prompts;
using Aloe.Web.Components;
using Aloe.Web.Dialogues;
using Aloe.Web.Benchmark;
using Aloe.Web.Hosting;
using Aloe.Web.Jobs;
using Aloe.Web.Settings;
using Aloe.Web.Personas;
using Aloe.Web.Shared;

var root = AloeRoot.Find();
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = root,
    WebRootPath = Path.Combine(root, "wwwroot"),
});

builder.AddAloeData();
builder.AddPrompts();
builder.AddJobs();
builder.AddLlm();
builder.AddPersonas();
builder.AddDialogues();
builder.AddBenchmark();

builder.Services.AddRazorComponents();
builder.Services.AddAntiforgery(o => o.HeaderName = AntiforgeryFilter.HeaderName);

var app = builder.Build();
await app.Services.InitializeDatabaseAsync();

if (!app.Environment.IsDevelopment())
    app.UseExceptionHandler("/error", createScopeForErrors: true);

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseStaticFiles();
app.UseAntiforgery();

app.MapHealth();
app.MapJobs();
app.MapJobsDashboard();
app.MapLlm();
app.MapPersonas();
app.MapDialogues();
app.MapBenchmark();
app.MapRazorComponents<App>();

app.Run();

public partial class Program;
