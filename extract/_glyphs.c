/* The per-glyph loop of pdfium_pages.py in C: each character of a PDFium text page as
 * pdfplumber's dict, boxed as pdfminer boxes it.  In Python it made four ctypes calls per
 * glyph and cost a third of extraction (issue 13).  PDFium's functions come from pypdfium2's
 * library, their addresses handed over once by bind(); this file links against nothing but
 * Python.  The arithmetic is Python's, step for step, in doubles, so that the boxes are the
 * same to the last bit (built with -ffp-contract=off).  pdfium_pages.py explains the rules. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct { float left, top, right, bottom; } Rect;
typedef struct { float a, b, c, d, e, f; } Matrix;

static int (*count_chars)(void *);
static int (*get_text)(void *, int, int, unsigned short *);
static unsigned int (*get_unicode)(void *, int);
static int (*is_generated)(void *, int);
static int (*map_error)(void *, int);
static int (*loose_box)(void *, int, Rect *);
static int (*char_origin)(void *, int, double *, double *);
static int (*char_matrix)(void *, int, Matrix *);
static double (*font_size)(void *, int);
static void *(*text_object)(void *, int);
static void *(*text_font)(void *);
static int (*font_descent)(void *, float, float *);

static PyObject *hypot_function;  /* math.hypot: Python's own, which libm's may differ from */
static PyObject *key_object_type, *key_text, *key_x0, *key_x1, *key_top, *key_bottom,
    *key_doctop, *key_width, *key_height, *key_size, *key_upright, *value_char, *value_space,
    *value_hyphen;

static PyObject *bind(PyObject *self, PyObject *args) {
    (void)self;
    unsigned long long a[12];
    if (!PyArg_ParseTuple(args, "KKKKKKKKKKKK", &a[0], &a[1], &a[2], &a[3], &a[4], &a[5], &a[6],
                          &a[7], &a[8], &a[9], &a[10], &a[11]))
        return NULL;
    count_chars = (int (*)(void *))(uintptr_t)a[0];
    get_text = (int (*)(void *, int, int, unsigned short *))(uintptr_t)a[1];
    get_unicode = (unsigned int (*)(void *, int))(uintptr_t)a[2];
    is_generated = (int (*)(void *, int))(uintptr_t)a[3];
    map_error = (int (*)(void *, int))(uintptr_t)a[4];
    loose_box = (int (*)(void *, int, Rect *))(uintptr_t)a[5];
    char_origin = (int (*)(void *, int, double *, double *))(uintptr_t)a[6];
    char_matrix = (int (*)(void *, int, Matrix *))(uintptr_t)a[7];
    font_size = (double (*)(void *, int))(uintptr_t)a[8];
    text_object = (void *(*)(void *, int))(uintptr_t)a[9];
    text_font = (void *(*)(void *))(uintptr_t)a[10];
    font_descent = (int (*)(void *, float, float *))(uintptr_t)a[11];
    Py_RETURN_NONE;
}

/* The page's text as code points, one per character: PDFium's text (UTF-16, read as Python's
 * "utf-16-le" codec with errors="replace" reads it), or each character's Unicode value where
 * that text does not hold one code point per character. */
static uint32_t *page_text(void *page, int count) {
    unsigned short *units = calloc((size_t)count + 1, sizeof *units);
    uint32_t *text = malloc((size_t)count * sizeof *text);
    if (!units || !text) {
        free(units);
        free(text);
        PyErr_NoMemory();
        return NULL;
    }
    get_text(page, 0, count, units);
    int length = 0;
    for (int i = 0; i < count; i++, length++) {
        unsigned short unit = units[i];
        if (unit >= 0xD800 && unit <= 0xDBFF && i + 1 < count && units[i + 1] >= 0xDC00 && units[i + 1] <= 0xDFFF) {
            text[length] = 0x10000 + ((uint32_t)(unit - 0xD800) << 10) + (units[i + 1] - 0xDC00);
            i++;
        } else {
            text[length] = (unit >= 0xD800 && unit <= 0xDFFF) ? 0xFFFD : unit;
        }
    }
    free(units);
    if (length != count)
        for (int i = 0; i < count; i++)
            text[i] = get_unicode(page, i);
    return text;
}

static int put(PyObject *dict, PyObject *key, PyObject *value) {
    if (!value)
        return -1;
    int failed = PyDict_SetItem(dict, key, value);
    Py_DECREF(value);
    return failed;
}

static PyObject *char_dict(PyObject *text, double x0, double x1, double top, double bottom,
                           double doctop, double size, int upright) {
    PyObject *dict = PyDict_New();
    if (!dict)
        return NULL;
    if (PyDict_SetItem(dict, key_object_type, value_char) || PyDict_SetItem(dict, key_text, text) ||
        put(dict, key_x0, PyFloat_FromDouble(x0)) || put(dict, key_x1, PyFloat_FromDouble(x1)) ||
        put(dict, key_top, PyFloat_FromDouble(top)) || put(dict, key_bottom, PyFloat_FromDouble(bottom)) ||
        put(dict, key_doctop, PyFloat_FromDouble(doctop + top)) ||
        put(dict, key_width, PyFloat_FromDouble(x1 - x0)) ||
        put(dict, key_height, PyFloat_FromDouble(bottom - top)) ||
        put(dict, key_size, PyFloat_FromDouble(size)) ||
        PyDict_SetItem(dict, key_upright, upright ? Py_True : Py_False)) {
        Py_DECREF(dict);
        return NULL;
    }
    return dict;
}

static int append(PyObject *list, PyObject *item) {
    if (!item)
        return -1;
    int failed = PyList_Append(list, item);
    Py_DECREF(item);
    return failed;
}

/* chars(text_page, (a, b, c, d, e, f), mb_x0, mb_top, height, doctop): the characters in
 * PDFium's order, or None when a glyph has no Unicode mapping. */
static PyObject *chars(PyObject *self, PyObject *args) {
    (void)self;
    unsigned long long handle;
    double a, b, c, d, e, f, mb_x0, mb_top, height, doctop;
    if (!count_chars) {
        PyErr_SetString(PyExc_RuntimeError, "bind() PDFium's functions first");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "K(dddddd)dddd", &handle, &a, &b, &c, &d, &e, &f, &mb_x0, &mb_top,
                          &height, &doctop))
        return NULL;
    void *page = (void *)(uintptr_t)handle;
    PyObject *result = PyList_New(0);
    int count = count_chars(page);
    if (!result || count <= 0)
        return result;
    uint32_t *text = page_text(page, count);
    if (!text) {
        Py_DECREF(result);
        return NULL;
    }
    int plain = a == 1 && b == 0 && c == 0 && d == 1;
    double x_shift = e + mb_x0, flip = mb_top + height;
    Rect rect = {0};
    Matrix matrix = {0};
    float descent = 0;
    double origin_x = 0, origin_y = 0, size = 0, lift = 0, pending = 0;
    int upright = 1, simple = 1, has_pending = 0;
    void *current = NULL;
    for (int index = 0; index < count; index++) {
        uint32_t point = text[index];
        PyObject *glyph;
        if (point == ' ' || point == '\r' || point == '\n') {
            if (is_generated(page, index)) {
                if (point == ' ' && text_object(page, index)) {
                    /* a space PDFium made of a kerning gap: a printed space began here */
                    char_origin(page, index, &origin_x, &origin_y);
                    pending = a * origin_x + c * origin_y + e + mb_x0;
                    has_pending = 1;
                }
                continue;
            }
            glyph = point == ' ' ? (Py_INCREF(value_space), value_space) : PyUnicode_FromOrdinal(point);
        } else if (point == 0) {
            continue;
        } else if (point == 0xFFFE || point == 0x02) {
            glyph = (Py_INCREF(value_hyphen), value_hyphen);
        } else {
            glyph = PyUnicode_FromOrdinal(point);
        }
        if (!glyph)
            goto failed;
        void *object = text_object(page, index);
        if (object != current) {
            current = object;
            char_matrix(page, index, &matrix);
            double ma = matrix.a, mb = matrix.b, mc = matrix.c, md = matrix.d;
            double scale;
            if (mb == 0 && mc == 0) {
                scale = fabs(md);
            } else {
                PyObject *value = PyObject_CallFunction(hypot_function, "dd", mc, md);
                if (!value) {
                    Py_DECREF(glyph);
                    goto failed;
                }
                scale = PyFloat_AsDouble(value);
                Py_DECREF(value);
            }
            size = font_size(page, index) * scale;
            double ta = ma * a + mb * c, tb = ma * b + mb * d, tc = mc * a + md * c, td = mc * b + md * d;
            upright = ta * td > 0 && tb * tc <= 0;
            simple = plain && upright && mb == 0 && mc == 0;
            double ratio = font_descent(text_font(object), 1000.0f, &descent) ? descent / 1000.0 : 0.0;
            lift = ratio * size * (md > 0 ? 1 : -1);
        }
        if (map_error(page, index)) {
            Py_DECREF(glyph);
            free(text);
            Py_DECREF(result);
            Py_RETURN_NONE;
        }
        loose_box(page, index, &rect);
        double x0, x1, top, bottom;
        if (simple) {
            char_origin(page, index, &origin_x, &origin_y);
            x0 = rect.left + x_shift;
            x1 = rect.right + x_shift;
            bottom = flip - (origin_y + f) - lift;
            top = bottom - size;
        } else { /* turned text: PDFium's box in device space */
            double left = rect.left, up = rect.top, right = rect.right, down = rect.bottom;
            double px0 = a * left + c * up + e + mb_x0, ptop = mb_top + height - (b * left + d * up + f);
            double px1 = a * right + c * down + e + mb_x0, pbottom = mb_top + height - (b * right + d * down + f);
            x0 = px1 < px0 ? px1 : px0;
            x1 = px0 < px1 ? px1 : px0;
            top = pbottom < ptop ? pbottom : ptop;
            bottom = ptop < pbottom ? pbottom : ptop;
            if (upright)
                top = bottom - size;
        }
        if (has_pending) {
            if (pending < x0 - 0.05 * size &&
                append(result, char_dict(value_space, pending, x0, top, bottom, doctop, size, upright))) {
                Py_DECREF(glyph);
                goto failed;
            }
            has_pending = 0;
        }
        int failure = append(result, char_dict(glyph, x0, x1, top, bottom, doctop, size, upright));
        Py_DECREF(glyph);
        if (failure)
            goto failed;
    }
    free(text);
    return result;
failed:
    free(text);
    Py_DECREF(result);
    return NULL;
}

static PyMethodDef methods[] = {
    {"bind", bind, METH_VARARGS, "Take the addresses of PDFium's text functions, once."},
    {"chars", chars, METH_VARARGS, "A text page's characters as pdfplumber's dicts, or None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_glyphs", NULL, -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__glyphs(void) {
    PyObject *math = PyImport_ImportModule("math");
    if (!math)
        return NULL;
    hypot_function = PyObject_GetAttrString(math, "hypot");
    Py_DECREF(math);
    if (!hypot_function)
        return NULL;
    const char *names[] = {"object_type", "text", "x0", "x1", "top", "bottom", "doctop", "width",
                           "height", "size", "upright", "char", " ", "-"};
    PyObject **slots[] = {&key_object_type, &key_text, &key_x0, &key_x1, &key_top, &key_bottom,
                          &key_doctop, &key_width, &key_height, &key_size, &key_upright, &value_char,
                          &value_space, &value_hyphen};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!(*slots[i] = PyUnicode_InternFromString(names[i])))
            return NULL;
    return PyModule_Create(&module);
}
