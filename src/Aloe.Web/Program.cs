using Aloe.Core.Analysis.Scoring;
using Aloe.Core.Annotation;
using Aloe.Core.Analysis;
using Aloe.Core.Benchmark;
using Aloe.Core.Data;
using Aloe.Core.Dialogues;
using Aloe.Core.Hosting;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.Core.Personas;
using Aloe.Core.Prompts;
using Aloe.Web.Analysis;
using Aloe.Web.Components;
using Aloe.Web.Dialogues;
using Aloe.Web.Annotation;
using Aloe.Web.Auth;
using Aloe.Web.Benchmark;
using Aloe.Web.Hosting;
using Aloe.Web.Jobs;
using Aloe.Web.Settings;
using Aloe.Web.Personas;

var root = AloeRoot.Find();
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = root,
});
// The SDK's and packages' static files (blazor.web.js, MudBlazor, Plotly.Blazor) and this project's
// wwwroot, also when the app runs from its build output outside Development (tests, benchmarks).
builder.WebHost.UseStaticWebAssets();

builder.AddAloeData();
builder.AddAloeDataProtection();
builder.AddApiProblems();
builder.AddPrompts();
builder.AddJobs();
builder.AddLlm();
builder.AddPersonas();
builder.AddDialogues();
builder.AddBenchmark();
builder.AddAnalysisScoring();
builder.AddAnnotation();
builder.AddAnalysis();
builder.AddWebApp();
builder.AddAloeAuth();

var app = builder.Build();
await app.Services.InitializeDatabaseAsync();
await app.Services.EnsureRolesAsync();

app.UseAloeAuth();
app.UseWebApp();
app.MapHealth();
app.MapJobs();
app.MapJobsDashboard();
app.MapLlm();
app.MapPersonas();
app.MapDialogues();
app.MapBenchmark();
app.MapScoring();
app.MapAnnotation();
app.MapAccount();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

public partial class Program;
