package io.lorafab.app.wiring;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * TLS for the HTTP API from the files an operator has: the server's identity from PEM files or a PKCS#12
 * keystore, the CAs that sign client certificates (mutual TLS), and the client side's trust (a private CA,
 * or the JDK's trust store). Only TLS 1.3 and 1.2 are offered; certificates are always verified.
 */
public final class TlsContexts {
    /** The protocol versions the server accepts. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsContexts() {
    }

    /** The HTTPS side of the server: its context and what to say about it at start. */
    public record ServerTls(SSLContext context, X509Certificate certificate, int clientCas) {

        /** For Jetty: TLS 1.3/1.2 from this context, client certificates required when client CAs were given. */
        public SslContextFactory.Server configurator() {
            SslContextFactory.Server f = new SslContextFactory.Server();
            f.setSslContext(context);
            f.setIncludeProtocols(PROTOCOLS.clone());
            f.setNeedClientAuth(clientCas > 0);
            return f;
        }

        /**
         * For Jetty, with client certificates asked for but not required (when client CAs were given): a Basics
         * Station authenticates with a certificate or with a token, and the listener decides per gateway.
         */
        public SslContextFactory.Server configuratorWantingClientCertificates() {
            SslContextFactory.Server f = new SslContextFactory.Server();
            f.setSslContext(context);
            f.setIncludeProtocols(PROTOCOLS.clone());
            f.setWantClientAuth(clientCas > 0);
            return f;
        }

        /** One phrase for the start line: the certificate's subject and expiry, and whether clients need certificates. */
        public String describe() {
            LocalDate until = certificate.getNotAfter().toInstant().atZone(ZoneOffset.UTC).toLocalDate();
            boolean expired = certificate.getNotAfter().before(new Date());
            return "TLS certificate " + certificate.getSubjectX500Principal().getName() + (expired ? " EXPIRED on " : " valid until ")
                    + until + (clientCas > 0 ? ", client certificates required" : "");
        }
    }

    /** The server side from its identity and, unless null, a PEM bundle of the CAs whose client certificates it accepts. */
    public static ServerTls server(PemCredentials identity, List<X509Certificate> clientCas) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(identity), clientCas == null ? null : trustManagers(clientCas), null);
            return new ServerTls(context, identity.chain().get(0), clientCas == null ? 0 : clientCas.size());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * The client side: trusting only {@code trusted} (or, when null, the JDK's trust store) and presenting
     * {@code identity} when the server asks for a client certificate (none when null).
     */
    public static SSLContext client(List<X509Certificate> trusted, PemCredentials identity) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(identity == null ? null : keyManagers(identity), trustManagers(trusted), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** A certificate chain file and its key file ({@code option} names each in messages). */
    public static PemCredentials readPem(String certOption, Path cert, String keyOption, Path key) {
        return PemCredentials.parse(read(certOption, cert), certOption + " " + cert, read(keyOption, key), keyOption + " " + key);
    }

    /** A PEM bundle of CA certificates. */
    public static List<X509Certificate> readCertificates(String option, Path file) {
        return PemCredentials.certificates(read(option, file), option + " " + file);
    }

    /**
     * The one private key entry of a PKCS#12 keystore and its chain; the key's password must be the keystore's
     * (as openssl and keytool make them).
     */
    public static PemCredentials readKeystore(String option, Path file, char[] password) {
        String source = option + " " + file;
        byte[] bytes = readBytes(option, file);
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password);
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsConfigException(source + (bytes.length > 0 && bytes[0] == 0x30
                    ? ": cannot open the keystore: wrong password?"
                    : ": not a PKCS#12 keystore (for PEM files use --tls-cert and --tls-key)"));
        }
        try {
            List<String> keys = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keys.add(alias);
                }
            }
            if (keys.size() != 1) {
                throw new TlsConfigException(source + (keys.isEmpty() ? ": holds no private key entry"
                        : ": holds " + keys.size() + " private keys (" + String.join(", ", keys) + "); lorafab needs exactly one"));
            }
            PrivateKey key;
            try {
                key = (PrivateKey) store.getKey(keys.get(0), password);
            } catch (UnrecoverableKeyException e) {
                throw new TlsConfigException(source + ": the key's password differs from the keystore's; lorafab needs them equal");
            }
            Certificate[] chain = store.getCertificateChain(keys.get(0));
            if (key == null || chain == null || chain.length == 0) {
                throw new TlsConfigException(source + ": the key entry has no certificate chain");
            }
            List<X509Certificate> certs = new ArrayList<>();
            for (Certificate c : chain) {
                certs.add((X509Certificate) c);
            }
            if (!PemCredentials.belongTogether(key, certs.get(0).getPublicKey())) {
                throw new TlsConfigException(source + ": the private key does not match its entry's certificate");
            }
            return new PemCredentials(certs, key);
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException(source + ": cannot read the key entry (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static KeyManager[] keyManagers(PemCredentials identity) throws GeneralSecurityException {
        char[] transientPassword = "lorafab-in-memory".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        store.setKeyEntry("identity", identity.key(), transientPassword, identity.chain().toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, transientPassword);
        return kmf.getKeyManagers();
    }

    private static TrustManager[] trustManagers(List<X509Certificate> trusted) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (trusted == null) {
            tmf.init((KeyStore) null);
        } else {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try {
                store.load(null, null);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            for (int i = 0; i < trusted.size(); i++) {
                store.setCertificateEntry("ca-" + i, trusted.get(i));
            }
            tmf.init(store);
        }
        return tmf.getTrustManagers();
    }

    private static String read(String option, Path file) {
        return new String(readBytes(option, file), StandardCharsets.ISO_8859_1);
    }

    private static byte[] readBytes(String option, Path file) {
        if (Files.isDirectory(file)) {
            throw new TlsConfigException(option + " " + file + ": is a directory, not a file");
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsConfigException(option + ": no such file: " + file);
        } catch (AccessDeniedException e) {
            throw new TlsConfigException(option + " " + file + ": cannot read it (permission denied)");
        } catch (IOException e) {
            throw new TlsConfigException(option + " " + file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        }
    }
}
