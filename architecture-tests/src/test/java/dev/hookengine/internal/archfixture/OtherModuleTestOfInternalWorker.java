package dev.hookengine.internal.archfixture;

/** Fixture: test code of another module in the internals' package, using them (a violation). */
public class OtherModuleTestOfInternalWorker {
    private final OtherModuleTestHelper helper = new OtherModuleTestHelper();

    void test() {
        new InternalWorker().work();
    }
}
