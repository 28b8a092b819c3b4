package dev.hookengine.architecture;

import java.util.Objects;

/**
 * Where a class was compiled: the reactor module (its directory and artifact id, such as
 * {@code engine-core}) and whether it is that module's main or test code.
 *
 * <p>The layering rules speak of modules, and a package does not name one: test code shares
 * packages across modules (engine-memory tests {@code dev.hookengine} from inside
 * {@code dev.hookengine}), and a module may own a package under another module's prefix
 * ({@code dev.hookengine.store.support} lives in engine-core). The build output a class was read
 * from does name its module.
 */
record ClassOrigin(String module, boolean testCode) {

    ClassOrigin {
        Objects.requireNonNull(module, "module");
    }

    static ClassOrigin main(String module) {
        return new ClassOrigin(module, false);
    }

    static ClassOrigin test(String module) {
        return new ClassOrigin(module, true);
    }
}
