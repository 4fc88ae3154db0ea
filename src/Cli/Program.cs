using ClusterPool.Cli;

return await ClusterPoolCommand.InvokeAsync(args);
