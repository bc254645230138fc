using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Aloe.Core.Data;

internal sealed class DateTimeOffsetToUnixMillisecondsConverter()
    : ValueConverter<DateTimeOffset, long>(
        value => value.ToUnixTimeMilliseconds(),
        value => DateTimeOffset.FromUnixTimeMilliseconds(value));
