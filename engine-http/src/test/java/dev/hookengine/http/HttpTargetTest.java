package dev.hookengine.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading the destination out of a URL, with no network involved. */
class HttpTargetTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "http://127.0.0.1/x,            127.0.0.1,       http://127.0.0.1/x",
        "http://127.1/x,                127.0.0.1,       http://127.0.0.1/x",
        "http://127.1:8080/x?q=1#frag,  127.0.0.1,       http://127.0.0.1:8080/x?q=1",
        "http://2130706433/,            127.0.0.1,       http://127.0.0.1/",
        "http://0x7f.1/,                127.0.0.1,       http://127.0.0.1/",
        "http://0X7F.0.0.1/,            127.0.0.1,       http://127.0.0.1/",
        "http://0177.0.0.1/,            127.0.0.1,       http://127.0.0.1/",
        "http://017700000001/,          127.0.0.1,       http://127.0.0.1/",
        "http://0x7f000001/,            127.0.0.1,       http://127.0.0.1/",
        "http://127.0.0.1./,            127.0.0.1,       http://127.0.0.1/",
        "http://0/,                     0.0.0.0,         http://0.0.0.0/",
        "http://169.254.43518/,         169.254.169.254, http://169.254.169.254/",
        "https://8.8.8.8:443/p,         8.8.8.8,         https://8.8.8.8:443/p",
        "HTTP://10.0.0.1/,              10.0.0.1,        http://10.0.0.1/",
    })
    void numericHostsAreReadAsBrowsersReadThemAndRewritten(String url, String address, String sent) throws Exception {
        HttpTarget target = HttpTarget.parse(URI.create(url));

        assertThat(target.literal()).isNotNull();
        assertThat(target.literal().getHostAddress()).isEqualTo(address);
        assertThat(target.uri()).hasToString(sent);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "http://[::1]:8080/x,              0:0:0:0:0:0:0:1",
        "http://[::ffff:127.0.0.1]/,       127.0.0.1",
        "http://[::ffff:7f00:1]/,          127.0.0.1",
        "http://[fe80::1]/,                fe80:0:0:0:0:0:0:1",
    })
    void ipv6LiteralsAreParsedWithoutALookup(String url, String address) throws Exception {
        HttpTarget target = HttpTarget.parse(URI.create(url));

        assertThat(target.literal().getHostAddress()).isEqualTo(address);
        assertThat(target.uri()).isEqualTo(URI.create(url));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "https://hooks.example.com/in",
                "http://a-b.example:81/",
                "http://localhost/",
                "http://1.2.3.4.nip.io/",
                "http://0x7f.example/"
            })
    void namesAreLeftForTheResolver(String url) throws Exception {
        HttpTarget target = HttpTarget.parse(URI.create(url));

        assertThat(target.literal()).isNull();
        assertThat(target.uri()).isEqualTo(URI.create(url));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "ftp://127.0.0.1/",
                "ws://example.com/",
                "mailto:a@example.com",
                "/relative/path",
                "http:///x",
                "http://256.0.0.1/",
                "http://1.2.3.4.5/",
                "http://4294967296/",
                "http://0x100000000/",
                "http://1.08/",
                "http://user:secret@example.com/",
                "http://@example.com/",
                "http://example.com:0/",
                "http://a_b.example/",
                "http://[fe80::1%25eth0]/"
            })
    void whatCannotBeSentIsInvalid(String url) {
        assertThatThrownBy(() -> HttpTarget.parse(URI.create(url)))
                .isInstanceOf(HttpTarget.InvalidUrlException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }
}
