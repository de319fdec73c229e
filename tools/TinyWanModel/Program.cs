using Reframe.Wan.Engine;

// Usage: TinyWanModel <parity kit folder> <target folder>. Prints the target's full path (and nothing else) on stdout.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: TinyWanModel <parity kit folder, e.g. ../shared/parity> <target folder>");
    return 2;
}

try
{
    Console.WriteLine(TinyWanModel.Write(args[0], args[1]));
    return 0;
}
catch (FileNotFoundException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
