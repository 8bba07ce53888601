/* Double-byte (CP932 / Shift_JIS) to UTF-8 with CRLF and CR turned into LF, in one pass.
 *
 * The loop behind parsing/fast_transcode.py. It knows nothing about the encoding itself: the
 * caller builds the table from Python's own codec (so the mapping is exactly Python's), and
 * any byte the table does not accept is handed back to Python, which decodes that chunk
 * itself and raises the same error, at the same byte, as before.
 *
 *     chunk(table, data, out, carry_cr, final)
 *         -> (written, consumed, lf, crlf, cr, carry_cr, error_at)
 *
 * table: (256 + 65536) entries of 4 bytes: the character's UTF-8 bytes (1 to 3, BMP only)
 * then their count in the 4th byte, or 0 there for bytes the codec rejects and LEAD for a
 * byte that starts a two-byte character. Entry b is the single byte b, entry
 * 256 + (lead << 8 | trail) a pair. out: a writable buffer of at least 3 * len(data) + 4
 * bytes (one byte may become three; entries are copied 4 bytes at a time).
 * consumed < len(data) when data ends inside a character (the caller keeps those bytes for
 * the next chunk). error_at >= 0 is the offset of the first byte the table rejects.
 * A CR at the end of a non-final chunk is held back (carry_cr) so that a CRLF split across
 * two chunks still becomes one LF.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define LEAD 0xFF
#define ENTRIES (256 + 65536)

static const uint64_t ONES = 0x0101010101010101ull, HIGHS = 0x8080808080808080ull;
static const uint64_t LOWS = 0x7F7F7F7F7F7F7F7Full;

/* The high bit of each byte of w (all below 0x80) that equals `byte`, exactly: x + 0x7F
 * carries into the high bit for every non-zero byte and never into the next byte. */
static inline uint64_t bytes_equal(uint64_t w, unsigned char byte)
{
    uint64_t x = w ^ (ONES * byte);
    return ~(((x & LOWS) + LOWS) | x) & HIGHS;
}

/* Eight bytes at p when none has its high bit set or is a CR (0x0D), with the LFs among
 * them counted into *lf; 0 (nothing counted) otherwise. */
static inline int plain_ascii8(const unsigned char *p, Py_ssize_t *lf)
{
    uint64_t w;
    memcpy(&w, p, 8);
    if ((w & HIGHS) != 0 || bytes_equal(w, 0x0D) != 0)
        return 0;
    *lf += __builtin_popcountll(bytes_equal(w, 0x0A));
    return 1;
}

static PyObject *chunk(PyObject *self, PyObject *args)
{
    Py_buffer table_buf, data_buf, out_buf;
    int carry_cr, final;
    if (!PyArg_ParseTuple(
            args, "y*y*w*pp", &table_buf, &data_buf, &out_buf, &carry_cr, &final))
        return NULL;
    const unsigned char *in = (const unsigned char *)data_buf.buf;
    Py_ssize_t n = data_buf.len;
    const char *problem = NULL;
    if (table_buf.len != ENTRIES * 4)
        problem = "table must hold 256 + 65536 entries of 4 bytes";
    else if (out_buf.len < 3 * n + 4)
        problem = "out must hold at least 3 * len(data) + 4 bytes";
    if (problem != NULL) {
        PyBuffer_Release(&table_buf);
        PyBuffer_Release(&data_buf);
        PyBuffer_Release(&out_buf);
        PyErr_SetString(PyExc_ValueError, problem);
        return NULL;
    }
    const unsigned char *table = (const unsigned char *)table_buf.buf;
    unsigned char *o = (unsigned char *)out_buf.buf;
    const unsigned char *p = in, *end = in + n;
    Py_ssize_t lf = 0, crlf = 0, cr = 0, error_at = -1;

    Py_BEGIN_ALLOW_THREADS
    /* A held CR waits for the next character, as in Python's path: a chunk that is only the
     * first byte of a character keeps it waiting (so error rows are counted the same way). */
    int lone_lead = !final && n == 1 && table[4 * (size_t)in[0] + 3] == LEAD;
    if (carry_cr && (p < end || final) && !lone_lead) {
        if (p < end && *p == '\n') {
            p++;
            crlf++;
        } else {
            cr++;
        }
        *o++ = '\n';
        lf++;
        carry_cr = 0;
    }
    while (p < end) {
        if (end - p >= 8 && plain_ascii8(p, &lf)) {
            memcpy(o, p, 8);
            o += 8;
            p += 8;
            continue;
        }
        unsigned char b = *p;
        if (b == '\r') {
            if (p + 1 < end) {
                if (p[1] == '\n') {
                    p++;
                    crlf++;
                } else {
                    cr++;
                }
            } else if (!final) {
                carry_cr = 1; /* may be the first half of a CRLF */
                p++;
                break;
            } else {
                cr++;
            }
            *o++ = '\n';
            lf++;
            p++;
            continue;
        }
        if (b < 0x80) {
            lf += b == '\n';
            *o++ = b;
            p++;
            continue;
        }
        const unsigned char *entry = table + 4 * (size_t)b;
        size_t width = 1;
        if (entry[3] == LEAD) {
            if (p + 1 >= end) {
                if (final) {
                    error_at = p - in; /* a character cut off at the end of the file */
                } else if (p > in && p[-1] == '\r') {
                    /* Python's path holds a CR that ends the decoded text: do the same */
                    o--;
                    lf--;
                    cr--;
                    carry_cr = 1;
                }
                break;
            }
            entry = table + 4 * (256 + ((size_t)b << 8 | p[1]));
            width = 2;
        }
        if (entry[3] == 0 || entry[3] == LEAD) {
            error_at = p - in;
            break;
        }
        memcpy(o, entry, 4);
        o += entry[3];
        p += width;
    }
    Py_END_ALLOW_THREADS

    Py_ssize_t consumed = p - in;
    Py_ssize_t written = o - (unsigned char *)out_buf.buf;
    PyBuffer_Release(&table_buf);
    PyBuffer_Release(&data_buf);
    PyBuffer_Release(&out_buf);
    return Py_BuildValue(
        "(nnnnnNn)", written, consumed, lf, crlf, cr, PyBool_FromLong(carry_cr), error_at);
}

static PyMethodDef methods[] = {
    {"chunk", chunk, METH_VARARGS,
     "chunk(table, data, out, carry_cr, final) -> "
     "(written, consumed, lf, crlf, cr, carry_cr, error_at)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_transcode",
    "Table-driven double-byte to UTF-8 transcoding (see fast_transcode.py).", -1, methods,
};

PyMODINIT_FUNC PyInit__transcode(void)
{
    return PyModule_Create(&module);
}
