FROM fedora:40 AS qt
RUN dnf -y install qt6-qtbase-devel qt6-qttools-devel cmake gcc-c++ make && dnf clean all
WORKDIR /src
COPY . .
RUN cmake -B build -DCMAKE_PREFIX_PATH=/usr/lib64/cmake/Qt6 && cmake --build build -j4
ENV QT_QPA_PLATFORM=offscreen
CMD ["./build/qtapp"]
