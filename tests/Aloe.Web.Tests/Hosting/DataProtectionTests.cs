using Aloe.Testing;
using Aloe.Web.Hosting;
using Aloe.Web.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Web.Tests.Hosting;

public sealed class DataProtectionTests(AloeWebFactory factory) : IClassFixture<AloeWebFactory>
{
    [Fact]
    public async Task KeysArePersistedBesideTheDatabaseSoTheyLiveOnTheDataVolume()
    {
        var client = factory.CreateBrowserlikeClient();
        // A prerendered page carries an antiforgery token (Blazor forms): issuing it creates the key ring.
        (await client.GetAsync("/jobs")).EnsureSuccessStatusCode();

        var configuration = factory.Services.GetRequiredService<IConfiguration>();
        var database = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(configuration["Database:ConnectionString"]).DataSource;
        var keys = DataProtectionExtensions.KeysFolder(configuration, TestHost.RepositoryRoot());
        Assert.Equal(Path.Combine(Path.GetDirectoryName(database)!, "keys"), keys);
        Assert.NotEmpty(Directory.GetFiles(keys, "key-*.xml"));
    }
}
