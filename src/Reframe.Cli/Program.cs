Console.Error.WriteLine("reframe: no commands yet");
return 2;
