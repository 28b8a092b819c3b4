package dev.hookengine.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class AesGcmKeyCipherTest {

    private static final byte[] SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CONTEXT = "org-a/config/cfg-1/signingSecret".getBytes(StandardCharsets.UTF_8);

    private final String masterKey = AesGcmKeyCipher.generateBase64Key(new SecureRandom());
    private final AesGcmKeyCipher cipher = AesGcmKeyCipher.ofBase64(masterKey);

    @Test
    void roundTripsAndNeverRepeatsACiphertext() {
        byte[] first = cipher.encrypt(SECRET, CONTEXT);
        byte[] second = cipher.encrypt(SECRET, CONTEXT);

        assertThat(first).isNotEqualTo(second);
        assertThat(new String(first, StandardCharsets.ISO_8859_1)).doesNotContain("MfKQ9r8");
        assertThat(cipher.decrypt(first, CONTEXT)).isEqualTo(SECRET);
        assertThat(AesGcmKeyCipher.ofBase64(masterKey).decrypt(second, CONTEXT)).isEqualTo(SECRET);
    }

    @Test
    void aWrongKeyFailsLoudly() {
        byte[] sealed = cipher.encrypt(SECRET, CONTEXT);
        AesGcmKeyCipher other = AesGcmKeyCipher.ofBase64(AesGcmKeyCipher.generateBase64Key(new SecureRandom()));

        assertThatIllegalStateException()
                .isThrownBy(() -> other.decrypt(sealed, CONTEXT))
                .withMessageContaining("master key");
    }

    @Test
    void anotherContextOrAChangedByteFails() {
        byte[] sealed = cipher.encrypt(SECRET, CONTEXT);
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 1;

        assertThatIllegalStateException()
                .isThrownBy(() -> cipher.decrypt(sealed, "org-b/config/cfg-1".getBytes(StandardCharsets.UTF_8)));
        assertThatIllegalStateException().isThrownBy(() -> cipher.decrypt(tampered, CONTEXT));
        assertThatIllegalStateException().isThrownBy(() -> cipher.decrypt(new byte[5], CONTEXT));
    }

    @Test
    void badKeysAreRefusedWithoutShowingThem() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> AesGcmKeyCipher.of(new byte[16]))
                .withMessageContaining("32 bytes");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> AesGcmKeyCipher.ofBase64("not base64 !!"))
                .withMessageNotContaining("not base64 !!");
        assertThat(cipher.toString()).doesNotContain(masterKey);
    }
}
