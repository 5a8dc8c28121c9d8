package io.lazarus.coordinator.service;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps every {@code /api} request body at {@code lazarus.service.max-request-bytes}: a declared {@code Content-Length}
 * over it is answered 413 before a byte is read, and a body without one (chunked) is counted as it streams and
 * refused at the first byte over (see {@link ApiErrors}), so no request buffers more than the cap.
 */
final class RequestSizeFilter extends OncePerRequestFilter {

    private final long max;

    RequestSizeFilter(long max) {
        this.max = max;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > max) {
            response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            // the body is not read: the connection cannot carry another request after it
            response.setHeader(HttpHeaders.CONNECTION, "close");
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getWriter()
                    .write("{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413," + "\"detail\":\""
                            + RequestTooLarge.detail(declared, max) + "\",\"maxBytes\":" + max + "}");
            // on the wire before Tomcat gives up swallowing the unread body and closes the connection
            response.flushBuffer();
            return;
        }
        chain.doFilter(new Capped(request, max), response);
    }

    /** Thrown by the body's stream at the first byte over the cap; {@link ApiErrors} answers 413. */
    static final class RequestTooLarge extends IOException {

        final long max;

        RequestTooLarge(long max) {
            super(detail(-1, max), null);
            this.max = max;
        }

        static String detail(long declared, long max) {
            return (declared < 0 ? "the request body is" : "the request body of " + declared + " bytes is")
                    + " larger than the " + max + " bytes taken (lazarus.service.max-request-bytes)";
        }
    }

    private static final class Capped extends HttpServletRequestWrapper {

        private final long max;
        private ServletInputStream stream;

        Capped(HttpServletRequest request, long max) {
            super(request);
            this.max = max;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new Counting(super.getInputStream(), max);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    private static final class Counting extends ServletInputStream {

        private final ServletInputStream in;
        private final long max;
        private long read;

        Counting(ServletInputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws RequestTooLarge {
            read += n;
            if (read > max) {
                throw new RequestTooLarge(max);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
