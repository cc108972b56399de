package io.brook.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority made with the JDK's keytool: a CA, a server certificate for localhost and
 * 127.0.0.1, and client certificates, as PKCS12 and JKS stores and PEM text. Test-only; every store password is
 * {@link #PASSWORD}.
 */
public final class TestPki {

    public static final String PASSWORD = "test-secret";
    private static final String KEYTOOL = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();

    private final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /** Creates the CA and its truststores in {@code dir}. */
    public static TestPki create(Path dir) throws IOException {
        TestPki pki = new TestPki(dir);
        Files.createDirectories(dir);
        pki.keytool("-genkeypair", "-alias", "ca", "-dname", "CN=Brook Test CA", "-ext", "bc:c", "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", "2", "-keystore", pki.path("ca.p12"), "-storetype", "PKCS12");
        pki.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", pki.path("ca.p12"), "-file",
                pki.path("ca.pem"));
        for (String type : List.of("PKCS12", "JKS")) {
            pki.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", pki.path("ca.pem"), "-keystore",
                    pki.path("truststore." + type.toLowerCase()), "-storetype", type);
        }
        return pki;
    }

    /** A key store (PKCS12 and JKS) named {@code name} with a key and certificate for {@code dname}, signed by the CA. */
    public TestPki issue(String name, String dname, boolean server) throws IOException {
        String p12 = path(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-dname", dname, "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", "2", "-keystore", p12, "-storetype", "PKCS12");
        keytool("-certreq", "-alias", name, "-keystore", p12, "-file", path(name + ".csr"));
        List<String> sign = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", path("ca.p12"),
                "-infile", path(name + ".csr"), "-outfile", path(name + ".pem"), "-rfc", "-validity", "2"));
        if (server) {
            sign.addAll(List.of("-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:0:0:0:0:0:0:0:1"));
        }
        keytool(sign.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", path("ca.pem"), "-keystore", p12);
        keytool("-importcert", "-noprompt", "-alias", name, "-file", path(name + ".pem"), "-keystore", p12);
        keytool("-importkeystore", "-srckeystore", p12, "-srcstoretype", "PKCS12", "-srcstorepass", PASSWORD,
                "-destkeystore", path(name + ".jks"), "-deststoretype", "JKS", "-deststorepass", PASSWORD);
        try {
            Files.writeString(dir.resolve(name + ".key"), privateKeyPem(name), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
        return this;
    }

    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    public Path truststore(String type) {
        return dir.resolve("truststore." + type.toLowerCase());
    }

    public Path keystore(String name, String type) {
        return dir.resolve(name + (type.equalsIgnoreCase("JKS") ? ".jks" : ".p12"));
    }

    /** The certificate chain (leaf, then CA) of {@code name}, PEM. */
    public String certificateChainPem(String name) throws IOException {
        return Files.readString(dir.resolve(name + ".pem")) + Files.readString(caPem());
    }

    /** The certificate of {@code name}, PEM file. */
    public Path certificatePem(String name) {
        return dir.resolve(name + ".pem");
    }

    /** The unencrypted PKCS#8 private key of {@code name}, PEM file. */
    public Path privateKeyPemFile(String name) {
        return dir.resolve(name + ".key");
    }

    private String privateKeyPem(String name) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
            store.load(in, PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey(name, PASSWORD.toCharArray());
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private String path(String file) {
        return dir.resolve(file).toString();
    }

    private void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(KEYTOOL));
        command.addAll(List.of(args));
        boolean hasStorepass = command.contains("-srcstorepass");
        if (!hasStorepass) {
            command.addAll(List.of("-storepass", PASSWORD));
            if (command.contains("-genkeypair")) {
                command.addAll(List.of("-keypass", PASSWORD));
            }
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool timed out: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException("keytool failed (" + process.exitValue() + "): " + command + "\n" + output);
        }
    }
}
