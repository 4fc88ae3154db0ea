namespace ClusterPool.Tests; public class T { [Xunit.Fact] public void A(){} }
