package io.lazarus.worker.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskerTest {

    private final Masker defaults = Masker.of(MaskingProperties.defaults());

    @Test
    void theValuesOfTheRunsSecretsAreMaskedWhereverTheyAppear() {
        Masker masker = defaults.with(List.of("s3cr3t-value", "tok"));

        assertThat(masker.mask("db: s3cr3t-value\nagain s3cr3t-value; tok tok"))
                .isEqualTo("db: ****\nagain ****; **** ****");
    }

    @Test
    void aValueContainingAnotherIsMaskedWhole() {
        Masker masker = defaults.with(List.of("abc", "xxabcxx"));

        assertThat(masker.mask("[xxabcxx] [abc]")).isEqualTo("[****] [****]");
    }

    @Test
    void aMultiLineValueIsMaskedAlsoWithTheTerminalsLineEnds() {
        Masker masker = defaults.with(List.of("line one\nline two"));

        assertThat(masker.mask("> line one\nline two <")).isEqualTo("> **** <");
        assertThat(masker.mask("> line one\r\nline two <")).isEqualTo("> **** <");
    }

    @Test
    void aTailThatStartsInsideASecretHasItsEndMasked() {
        Masker masker = defaults.with(List.of("0123456789"));

        assertThat(masker.mask("56789 and more", true)).isEqualTo("**** and more");
        assertThat(masker.mask("56789 and more", false))
                .as("a whole output is not cut")
                .isEqualTo("56789 and more");
        assertThat(masker.mask("89 and more", true))
                .as("two characters prove nothing")
                .isEqualTo("89 and more");
    }

    @Test
    void emptyValuesAreIgnored() {
        assertThat(defaults.with(List.of("")).mask("nothing to hide")).isEqualTo("nothing to hide");
    }

    @Test
    void aPrivateKeyBlockIsMaskedWholeAlsoWhenTheTailCutsIt() {
        String key =
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----";

        assertThat(defaults.mask("key:\n" + key + "\ndone")).isEqualTo("key:\n****\ndone");
        assertThat(defaults.mask("key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow"))
                .isEqualTo("key:\n****");
        assertThat(defaults.mask("AAAABG5vbmU=\n-----END PRIVATE KEY-----\nafter"))
                .isEqualTo("****\nafter");
        assertThat(defaults.mask("-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----"))
                .as("public keys are not secret")
                .contains("MFkw");
    }

    @Test
    void awsKeysAreMasked() {
        assertThat(defaults.mask("id AKIAIOSFODNN7EXAMPLE here")).isEqualTo("id **** here");
        assertThat(defaults.mask("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
                .isEqualTo("aws_secret_access_key = ****");
        assertThat(defaults.mask("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
                .isEqualTo("AWS_SECRET_ACCESS_KEY=****");
    }

    @Test
    void bearerTokensAndPasswordsKeepTheirNameAndLoseTheirValue() {
        assertThat(defaults.mask("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc"))
                .isEqualTo("Authorization: Bearer ****");
        assertThat(defaults.mask("password=hunter2 user=bob")).isEqualTo("password=**** user=bob");
        assertThat(defaults.mask("DB_PASSWORD: 'with spaces'\nnext")).isEqualTo("DB_PASSWORD: ****\nnext");
        assertThat(defaults.mask("{\"password\": \"p@ss\"}")).isEqualTo("{\"password\": ****}");
        assertThat(defaults.mask("Enter password:\nok"))
                .as("a prompt hides nothing")
                .isEqualTo("Enter password:\nok");
    }

    @Test
    void ordinaryOutputIsLeftAlone() {
        String output = "Setting up tomcat10 (10.1.16-1) ...\nCreated symlink /etc/systemd/system/tomcat10.service\n";

        assertThat(defaults.mask(output)).isEqualTo(output);
    }

    @Test
    void configuredPatternsReplaceTheDefaultsAndANamedGroupMasksOnlyItself() {
        Masker masker = Masker.of(new MaskingProperties(List.of("token-(?<secret>[0-9]+)", "internal-[a-z]+")));

        assertThat(masker.mask("token-1234 internal-thing password=kept")).isEqualTo("token-**** **** password=kept");
    }

    @Test
    void aPatternThatIsNotARegularExpressionStopsTheWorkerNamingIt() {
        assertThatThrownBy(() -> Masker.of(new MaskingProperties(List.of("fine", "broken("))))
                .hasMessageContaining("lazarus.worker.mask-patterns")
                .hasMessageContaining("'broken('");
    }

    @Test
    void theDefaultPatternsCluesNeverLeaveASecretUnmasked() {
        Masker everyPatternAlways = Masker.of(MaskingProperties.defaults(), Map.of());
        List<String> pieces = List.of(
                "PASSWORD=hunter2",
                "Passwd: 'x y'",
                "pWd=\"quoted\"",
                "my_secret = s3",
                "SeCrEt:abc",
                "Authorization: BEARER abc.def-ghi~jkl",
                "bearer short",
                "AKIAABCDEFGHIJKLMNOP",
                "xASIAABCDEFGHIJKLMNOP",
                "AWS_SECRET_ACCESS_KEY=\"abcdefghijABCDEFGHIJ0123456789/+=abcdefg\"",
                "aws_secret_key: abcdefghijABCDEFGHIJ0123456789/+=abcdefg",
                "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n",
                "-----END RSA PRIVATE KEY-----",
                "-----begin rsa private key-----",
                "pass word",
                "Se cret",
                "installing 1.2.3",
                "\r\n",
                "\n",
                " ",
                "İ K ſ");
        Random random = new Random(15);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(6); n >= 0; n--) {
                text.append(pieces.get(random.nextInt(pieces.size())));
            }
            boolean cut = random.nextBoolean();
            assertThat(defaults.mask(text.toString(), cut))
                    .as("%s", text)
                    .isEqualTo(everyPatternAlways.mask(text.toString(), cut));
        }
    }

    @Test
    void everyClueBelongsToADefaultPattern() {
        assertThat(MaskingProperties.defaults().maskPatterns()).containsAll(MaskingProperties.CLUES.keySet());
    }
}
