using MudBlazor;

namespace Aloe.Web.Components.Layout;

/// <summary>The app's colours (ALOE green) for both themes, and a system font stack (no web fonts to fetch).</summary>
internal static class AloeTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#2f7d5b",
            Secondary = "#5a6b8c",
            AppbarBackground = "#1f5a41",
            Background = "#f6f8f7",
            DrawerBackground = "#ffffff",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#5fbf8f",
            Secondary = "#9fb0d0",
            AppbarBackground = "#17241e",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"] },
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "220px" },
    };
}
