using Aloe.Benchmarks;

return args.FirstOrDefault() switch
{
    "personas" => await PersonasBenchmark.RunAsync(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Aloe.Benchmarks personas");
    return 2;
}
