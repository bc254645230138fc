using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Aloe.Web.Shared;

/// <summary>
/// The one way a <c>MudDataGrid</c> loads its rows (see docs/web.md): the page's <c>ServerData</c>
/// filters an <c>AsNoTracking</c> query (search box, filter chips), then this counts it, orders it by
/// the grid's sort (falling back to the first key of <see cref="GridSorts{TEntity}"/>), takes one page
/// with Skip/Take and projects the rows in SQL. Only that page is ever materialised.
/// </summary>
internal static class ServerGrid
{
    public static async Task<GridData<TRow>> PageAsync<TEntity, TRow>(IQueryable<TEntity> query, GridState<TRow> state,
        GridSorts<TEntity> sorts, Expression<Func<TEntity, TRow>> select, CancellationToken cancellationToken)
    {
        var total = await query.CountAsync(cancellationToken);
        var ordered = sorts.Apply(query, state.SortDefinitions.OrderBy(s => s.Index).Select(s => (s.SortBy, s.Descending)));
        var items = await ordered.Skip(state.Page * state.PageSize).Take(state.PageSize).Select(select).ToListAsync(cancellationToken);
        return new GridData<TRow> { Items = items, TotalItems = total };
    }
}

/// <summary>
/// What each sortable column orders by in SQL, keyed by the column's name (a <c>PropertyColumn</c>'s
/// property name, or a <c>TemplateColumn</c>'s <c>SortBy</c> name). The first key added is the default
/// order and the tie-breaker that keeps pages stable.
/// </summary>
internal sealed class GridSorts<TEntity> : IEnumerable<string>
{
    delegate IQueryable<TEntity> Orderer(IQueryable<TEntity> query, bool thenBy, bool descending);

    readonly List<(string Column, Orderer Order, bool DefaultDescending)> keys = [];

    public void Add<TKey>(string column, Expression<Func<TEntity, TKey>> key, bool defaultDescending = false) =>
        keys.Add((column, (query, thenBy, descending) => (thenBy, descending) switch
        {
            (false, false) => query.OrderBy(key),
            (false, true) => query.OrderByDescending(key),
            (true, false) => ((IOrderedQueryable<TEntity>)query).ThenBy(key),
            (true, true) => ((IOrderedQueryable<TEntity>)query).ThenByDescending(key),
        }, defaultDescending));

    public IQueryable<TEntity> Apply(IQueryable<TEntity> query, IEnumerable<(string Column, bool Descending)> sorts)
    {
        var ordered = false;
        foreach (var (column, descending) in sorts)
        {
            var key = keys.FirstOrDefault(k => string.Equals(k.Column, column, StringComparison.OrdinalIgnoreCase));
            if (key.Order is null) continue; // a column without a SQL key is not sortable
            query = key.Order(query, ordered, descending);
            ordered = true;
        }
        if (keys.Count > 0)
            query = keys[0].Order(query, ordered, keys[0].DefaultDescending);
        return query;
    }

    public IEnumerator<string> GetEnumerator() => keys.Select(k => k.Column).GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
