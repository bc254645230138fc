using Aloe.Core.Llm;
using Aloe.Core.Personas;
using Aloe.Testing;
using Aloe.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Aloe.Web.Tests.Personas;

public sealed class PoolItemDeletionTests : IDisposable
{
    readonly AloeWebFactory factory = new();

    public PoolItemDeletionTests() =>
        factory.ConfigureTestServices = services =>
        {
            services.RemoveAll<ILlmGateway>();
            services.AddSingleton<ILlmGateway>(new ScriptedLlmGateway());
        };

    public void Dispose() => factory.Dispose();

    T Get<T>() where T : notnull => factory.Services.GetRequiredService<T>();

    [Fact]
    public async Task ImportedItemsAreProtectedUnlessTheUserAsks()
    {
        await Get<PoolService>().ImportAsync(PoolKind.Profile, PoolSplit.Train, "\"An imported profile of a beekeeper in Porto who sings\"\n");
        var imported = (await Get<PoolService>().ListAsync(PoolKind.Profile, source: ItemSource.Imported)).Items.Single();
        var deletion = Get<PoolItemDeletion>();

        await Assert.ThrowsAsync<InvalidOperationException>(() => deletion.DeleteAsync([imported.Id], includeImported: false));
        Assert.NotNull(await Get<PoolService>().GetAsync(imported.Id));

        Assert.Equal(1, await deletion.DeleteAsync([imported.Id], includeImported: true));
        Assert.Null(await Get<PoolService>().GetAsync(imported.Id));
    }

    [Fact]
    public async Task DeletingAnItemTakesThePersonasBuiltOnItAndThePreviewSaysSo()
    {
        await Get<PersonaService>().PairAsync(400, 1); // every training profile x personality
        var profile = (await Get<PoolService>().ListAsync(PoolKind.Profile, PoolSplit.Train)).Items[0];
        var deletion = Get<PoolItemDeletion>();

        var preview = await deletion.PreviewAsync([profile.Id]);
        await deletion.DeleteAsync([profile.Id], includeImported: false);

        Assert.Equal(new PoolDeletionPreview(1, 0, 1, 0, 20), preview);
        Assert.Equal(380, (await Get<PersonaService>().ListAsync(PoolSplit.Train, null)).Total);
        var survivors = await Get<PoolService>().ListAsync(PoolKind.Profile, pageSize: 200);
        Assert.DoesNotContain(survivors.Items, i => i.NearestId == profile.Id);
    }
}
